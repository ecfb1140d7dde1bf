package viewer

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// ServeHTTP serves the page and the API, to loopback and ExplorerOptions.Hosts
// names only, same-origin only.
func (e *Explorer[S]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.guarded.ServeHTTP(w, r)
}

// routes returns the explorer's page and API on a ServeMux: each path with
// its method, and for other methods on the same path a JSON 405 with an
// Allow header; any other path is a JSON 404. Hosts, origins and POST
// bodies' content type are checked before, by localguard.
func (e *Explorer[S]) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(method, path string, h http.HandlerFunc) {
		mux.HandleFunc(method+" "+path, h) // GET patterns also match HEAD
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("%s needs %s", r.URL.Path, method))
		})
	}
	handle(http.MethodGet, "/{$}", e.servePage)
	handle(http.MethodGet, "/index.html", e.servePage)
	handle(http.MethodGet, "/api/state", e.serveState)
	handle(http.MethodGet, "/api/successors", e.serveSuccessors)
	handle(http.MethodPost, "/api/step", e.serveStep)
	handle(http.MethodPost, "/api/back", e.serveBack)
	handle(http.MethodPost, "/api/jump", e.serveJump)
	handle(http.MethodPost, "/api/restart", e.serveRestart)
	handle(http.MethodGet, "/api/export.itf.json", e.serveExport)
	handle(http.MethodGet, "/view.html", e.serveView)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no such page: %s", r.URL.Path))
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, err error) {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// readBody decodes a JSON request body into v; an empty body leaves v as
// it is.
func readBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && err != io.EOF {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

// checkVersion reports whether a request's version (nil: not given)
// matches; if not it answers 409.
func (e *Explorer[S]) checkVersion(w http.ResponseWriter, v *int) bool {
	if v != nil && *v != e.version {
		writeError(w, http.StatusConflict, fmt.Errorf("the page shows version %d of the exploration, the server is at %d: reload", *v, e.version))
		return false
	}
	return true
}

// mutate serves a request that changes the exploration: it decodes the
// body into req, checks the version the page shows (*version, when given)
// under the lock, runs do, and answers with the new state, or with do's
// status and error when it refuses.
func (e *Explorer[S]) mutate(w http.ResponseWriter, r *http.Request, req any, version **int, do func() (int, error)) {
	if err := readBody(w, r, req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.checkVersion(w, *version) {
		return
	}
	if status, err := do(); err != nil {
		writeError(w, status, err)
		return
	}
	e.respondState(w)
}
