package controlplane

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestInitialState(t *testing.T) {
	c := newClient(t, Config{})
	initial := `{"plans":[],"zone":{"lock":{"owner":"none","epoch":0},"root":0,"rollback":0,"trees":{}},"deployers":{` +
		`"deployer-a":{"next":1,"lock":{"owner":"none","epoch":0},"root":0,"rollback":0},` +
		`"deployer-b":{"next":1,"lock":{"owner":"none","epoch":0},"root":0,"rollback":0},` +
		`"deployer-c":{"next":1,"lock":{"owner":"none","epoch":0},"root":0,"rollback":0}}}` + "\n"
	if got := string(c.ok(http.MethodGet, "/mbt/state", "")); got != initial {
		t.Fatalf("initial state\n got %s\nwant %s", got, initial)
	}
	if got := string(c.ok(http.MethodGet, "/resolve?name="+root, "")); got != `{"name":"`+root+`","addresses":[]}`+"\n" {
		t.Fatalf("resolve = %s", got)
	}
	if status, h := c.health(); status != http.StatusOK || h.Status != "ok" {
		t.Fatalf("healthz of the placeholder = %d %+v, want 200 ok", status, h)
	}
	page := string(c.ok(http.MethodGet, "/", ""))
	for _, s := range []string{"plan-000", "initial placeholder", "owner=none epoch=0", "no plans yet", "deployer-b"} {
		if !strings.Contains(page, s) {
			t.Errorf("status page lacks %q", s)
		}
	}

	// One step, then the example shape of the brief.
	c.plan(`{"192.0.2.1":100}`)
	c.mustAct("deployer-a", "deploy")
	var obs map[string]json.RawMessage
	decode(t, c.ok(http.MethodGet, "/mbt/state", ""), &obs)
	wantZone := `{"lock":{"owner":"deployer-a","epoch":1},"root":1,"rollback":0,"trees":{"1":{"192.0.2.1":100}}}`
	if string(obs["zone"]) != wantZone || string(obs["plans"]) != `[{"id":1,"weights":{"192.0.2.1":100}}]` {
		t.Fatalf("state = %s %s", obs["zone"], obs["plans"])
	}
	want := []string{"192.0.2.1"}
	var got []string
	for _, a := range c.resolve(root).Addresses {
		got = append(got, a.IP)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("resolve = %v", got)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"unknown deployer", "POST", "/mbt/deployers/deployer-z/deploy", "", 404},
		{"reserved deployer name", "POST", "/mbt/deployers/none/sync", "", 404},
		{"unknown action", "POST", "/mbt/deployers/deployer-a/explode", "", 404},
		{"unknown path", "GET", "/mbt/nothing", "", 404},
		{"malformed json", "POST", "/mbt/plan", `{"weights":`, 400},
		{"not an object", "POST", "/mbt/plan", `[1]`, 400},
		{"empty body", "POST", "/mbt/plan", ``, 400},
		{"unknown field", "POST", "/mbt/plan", `{"weight":{"192.0.2.1":1}}`, 400},
		{"trailing data", "POST", "/mbt/plan", `{"weights":{"192.0.2.1":1}} {}`, 400},
		{"fractional weight", "POST", "/mbt/plan", `{"weights":{"192.0.2.1":1.5}}`, 400},
		{"no weights", "POST", "/mbt/plan", `{"weights":{}}`, 400},
		{"missing weights", "POST", "/mbt/plan", `{}`, 400},
		{"unknown ip", "POST", "/mbt/plan", `{"weights":{"198.51.100.1":100}}`, 400},
		{"zero weight", "POST", "/mbt/plan", `{"weights":{"192.0.2.1":0}}`, 400},
		{"negative weight", "POST", "/mbt/plan", `{"weights":{"192.0.2.1":100,"192.0.2.2":-1}}`, 400},
		{"resolve without name", "GET", "/resolve", "", 400},
		{"GET reset", "GET", "/mbt/reset", "", 405},
		{"GET plan", "GET", "/mbt/plan", "", 405},
		{"GET action", "GET", "/mbt/deployers/deployer-a/deploy", "", 405},
		{"PUT action", "PUT", "/mbt/deployers/deployer-a/sync", "", 405},
		{"POST state", "POST", "/mbt/state", "", 405},
		{"POST resolve", "POST", "/resolve?name=x", "", 405},
		{"DELETE page", "DELETE", "/", "", 405},
		{"POST healthz", "POST", "/healthz", "", 405},
		// A refusal by the rules is not bad input, but it changes nothing either.
		{"refused deploy", "POST", "/mbt/deployers/deployer-a/deploy", "", 409},
		{"refused cleanup", "POST", "/mbt/deployers/deployer-b/cleanup", "", 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, Config{})
			c.plan(`{"192.0.2.1":100}`)
			c.mustAct("deployer-a", "deploy")
			before := snapshot(t, c.cp.Config().Dir)

			status, data := c.do(tt.method, tt.path, tt.body)
			if status != tt.status {
				t.Fatalf("status = %d, want %d: %s", status, tt.status, data)
			}
			var e errorResponse
			decode(t, data, &e)
			if e.Error == "" || e.Refused != (status == http.StatusConflict) {
				t.Fatalf("body = %s, want an error (refused only on 409)", data)
			}
			if got := snapshot(t, c.cp.Config().Dir); !reflect.DeepEqual(got, before) {
				t.Fatalf("the directory changed:\n got %v\nwant %v", got, before)
			}
		})
	}
}

func TestMethodNotAllowedHeader(t *testing.T) {
	c := newClient(t, Config{})
	req, err := http.NewRequest(http.MethodGet, c.srv.URL+"/mbt/reset", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /mbt/reset = %d, Allow %q, Content-Type %q", resp.StatusCode, resp.Header.Get("Allow"), resp.Header.Get("Content-Type"))
	}
}

// Web pages the operator visits cannot drive the API: not by DNS
// rebinding (Host), not cross-site (Origin), not by a form or text/plain
// post (Content-Type). Refused requests change nothing.
func TestCrossSiteRequestsRefused(t *testing.T) {
	tests := []struct {
		name, host, origin, ctype string
		status                    int
	}{
		{"rebinding and cross-site reset", "evil.example", "http://evil.example", "application/json", 403},
		{"rebinding", "evil.example:8053", "", "application/json", 403},
		{"cross-site", "", "http://evil.example", "application/json", 403},
		{"text/plain from a page", "", "", "text/plain", 415},
		{"form post", "", "", "application/x-www-form-urlencoded", 415},
		{"no content type", "", "", "", 415},
		{"allowed host", "dns.internal:8053", "http://dns.internal:8053", "application/json", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, Config{Hosts: []string{"dns.internal"}})
			c.plan(`{"192.0.2.1":100}`)
			before := snapshot(t, c.cp.Config().Dir)
			req, err := http.NewRequest(http.MethodPost, c.srv.URL+"/mbt/reset", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, err := c.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if after := snapshot(t, c.cp.Config().Dir); tt.status != 200 && !maps.Equal(before, after) {
				t.Errorf("a refused reset changed the directory")
			}
		})
	}
}
