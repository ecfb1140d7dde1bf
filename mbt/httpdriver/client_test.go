package httpdriver_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/httpdriver"
)

// TestClientErrors: refusals, server errors, timeouts and bodies that do
// not decode each give an error that says so.
func TestClientErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/refuse", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusConflict)
		w.Write([]byte(`{"error":"insufficient funds","refused":true}`))
	})
	mux.HandleFunc("/boom", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database on fire", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/notjson", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>")) })
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		json.NewDecoder(r.Body).Decode(&v)
		json.NewEncoder(w).Encode(v)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := &httpdriver.Client{BaseURL: srv.URL, Timeout: 100 * time.Millisecond}
	ctx := context.Background()

	err := c.Post(ctx, "/refuse", map[string]int{"amount": 3})
	if !errors.Is(err, mbt.ErrRefused) || !strings.Contains(err.Error(), "refused (409 Conflict): insufficient funds") {
		t.Errorf("409: %v", err)
	}
	err = c.Post(ctx, "/boom", nil)
	var he *httpdriver.Error
	if errors.Is(err, mbt.ErrRefused) || !errors.As(err, &he) || he.Status != 500 || !strings.Contains(err.Error(), "500 Internal Server Error: database on fire") {
		t.Errorf("500: %v", err)
	}
	if err := c.Post(ctx, "/slow", nil); err == nil || !strings.Contains(err.Error(), "no response within 100ms") {
		t.Errorf("timeout: %v", err)
	}
	if _, err := httpdriver.GetJSON[map[string]int](ctx, c, "/notjson"); err == nil || !strings.Contains(err.Error(), "decoding the response") || !strings.Contains(err.Error(), "<html>") {
		t.Errorf("bad JSON: %v", err)
	}
	got, err := httpdriver.PostJSON[map[string]int](ctx, c, "/echo", map[string]int{"amount": 3})
	if err != nil || got["amount"] != 3 {
		t.Errorf("echo: %v, %v", got, err)
	}
	c.Refused = func(status int, body []byte) bool { return strings.Contains(string(body), "fire") }
	if err := c.Post(ctx, "/boom", nil); !errors.Is(err, mbt.ErrRefused) {
		t.Errorf("custom refusal mapping: %v", err)
	}
}
