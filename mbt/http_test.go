package mbt_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/httpdriver"
)

// bankServer serves a bankImpl over HTTP, as a service under test would:
// POST /mbt/reset, POST /mbt/step (a StepRequest), GET /mbt/state. A
// refused step is a 409 with {"error": ...}.
func bankServer(b bug) http.Handler {
	var mu sync.Mutex
	bank := newBankImpl(b)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /mbt/reset", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		bank = newBankImpl(b)
		mu.Unlock()
		w.Write([]byte(`{"ok":true}`))
	})
	mux.HandleFunc("POST /mbt/step", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Action string `json:"action"`
			Picks  struct {
				Account string `json:"account"`
				Amount  int    `json:"amount"`
				Client  string `json:"client"`
			} `json:"picks"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		mu.Lock()
		bk := bank
		mu.Unlock()
		var err error
		p := req.Picks
		switch req.Action {
		case "deposit":
			err = bk.Deposit(p.Account, p.Amount)
		case "withdraw":
			err = bk.Withdraw(p.Account, p.Amount)
		case "begin_add":
			err = bk.BeginAdd(p.Client, p.Account, p.Amount)
		case "commit":
			err = bk.Commit(p.Client)
		default:
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(map[string]string{"error": "no action " + req.Action})
			return
		}
		if err != nil {
			w.WriteHeader(http.StatusConflict)
			json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		w.Write([]byte(`{"ok":true}`))
	})
	mux.HandleFunc("GET /mbt/state", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		bk := bank
		mu.Unlock()
		json.NewEncoder(w).Encode(bk.snapshot())
	})
	return mux
}

func httpDriver(url string) func(testing.TB) mbt.Driver[Bank] {
	return func(testing.TB) mbt.Driver[Bank] {
		return &httpdriver.Driver[Bank]{Client: &httpdriver.Client{BaseURL: url, Timeout: 2 * time.Second}, StatePath: "/mbt/state"}
	}
}

func TestHTTPDriver(t *testing.T) {
	srv := httptest.NewServer(bankServer(correct))
	defer srv.Close()
	rt := newRecTB(t, "TestHTTP")
	rep := mbt.Run(rt, bankModel(), httpDriver(srv.URL), mbt.Options{Seed: 2, Traces: 100, Dir: t.TempDir()})
	if rt.Failed() || !rep.Observed || rep.Refusals == 0 {
		t.Fatalf("correct service over HTTP: observed %v, %d refusals:\n%s", rep.Observed, rep.Refusals, rt.errors())
	}
	t.Logf("over HTTP: %d traces, %d steps in %s (%.0f steps/s)", rep.Traces, rep.Steps, rep.Elapsed, rep.StepsPerSecond())

	bad := httptest.NewServer(bankServer(missingGuard))
	defer bad.Close()
	rt = newRecTB(t, "TestHTTP")
	rep = mbt.Run(rt, bankModel(), httpDriver(bad.URL), mbt.Options{Seed: 2, Traces: 100, Dir: t.TempDir()})
	if rep.Divergence == nil || rep.Divergence.Kind != mbt.Performed || rep.Divergence.Len() != 1 {
		t.Errorf("missing guard over HTTP: %+v\n%s", rep.Divergence, rt.errors())
	}
}

// A service that is down is a clear error naming the URL, not a divergence.
func TestHTTPServiceDown(t *testing.T) {
	srv := httptest.NewServer(bankServer(correct))
	url := srv.URL
	srv.Close()
	rt := newRecTB(t, "TestHTTPDown")
	rep := mbt.Run(rt, bankModel(), httpDriver(url), mbt.Options{Seed: 1, Traces: 3, Dir: t.TempDir()})
	msg := rt.errors()
	if rep.Divergence != nil || !strings.Contains(msg, "POST "+url+"/mbt/reset: service not reachable (is it running?)") {
		t.Errorf("service down:\n%s", msg)
	}
}
