package controlplane

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// client drives a control plane through its HTTP API.
type client struct {
	t   *testing.T
	cp  *ControlPlane
	srv *httptest.Server
}

func newClient(t *testing.T, cfg Config) *client {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	cp, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	srv := httptest.NewServer(cp.Handler())
	t.Cleanup(srv.Close)
	return &client{t: t, cp: cp, srv: srv}
}

// do sends a request and returns the status and the body.
func (c *client) do(method, path, body string) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != "" {
		r = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json") // as the API requires
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, data
}

// ok sends a request that must succeed with 200.
func (c *client) ok(method, path, body string) []byte {
	c.t.Helper()
	status, data := c.do(method, path, body)
	if status != http.StatusOK {
		c.t.Fatalf("%s %s: status %d: %s", method, path, status, data)
	}
	return data
}

// act runs a deployer action and returns the status and the error response.
func (c *client) act(deployer, action string) (int, errorResponse) {
	c.t.Helper()
	status, data := c.do(http.MethodPost, "/mbt/deployers/"+deployer+"/"+action, "")
	var e errorResponse
	if status != http.StatusOK {
		decode(c.t, data, &e)
	}
	return status, e
}

// mustAct runs a deployer action that must succeed.
func (c *client) mustAct(deployer, action string) {
	c.t.Helper()
	if status, e := c.act(deployer, action); status != http.StatusOK {
		c.t.Fatalf("%s %s: status %d: %s", deployer, action, status, e.Error)
	}
}

func (c *client) plan(weights string) int {
	c.t.Helper()
	var p planResponse
	decode(c.t, c.ok(http.MethodPost, "/mbt/plan", `{"weights":`+weights+`}`), &p)
	return p.ID
}

func (c *client) state() Observation {
	c.t.Helper()
	var obs Observation
	decode(c.t, c.ok(http.MethodGet, "/mbt/state", ""), &obs)
	return obs
}

func (c *client) resolve(name string) resolveResponse {
	c.t.Helper()
	var r resolveResponse
	decode(c.t, c.ok(http.MethodGet, "/resolve?name="+name, ""), &r)
	return r
}

func (c *client) health() (int, healthResponse) {
	c.t.Helper()
	status, data := c.do(http.MethodGet, "/healthz", "")
	var h healthResponse
	decode(c.t, data, &h)
	return status, h
}

func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

// snapshot returns every file under dir with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			files[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(path)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
