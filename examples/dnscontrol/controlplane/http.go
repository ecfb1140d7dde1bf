package controlplane

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/execspec/execspec/internal/localguard"
	"io"
	"net/http"
	"strings"

	"github.com/execspec/execspec/examples/dnscontrol/deployer"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/planner"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// maxBody bounds the size of a request body.
const maxBody = 1 << 20

// Handler returns the HTTP interface of the control plane:
//
//	GET  /                                  HTML status page
//	GET  /healthz                           {"status":"ok"} or 503 {"status":"degraded","reason":..}
//	GET  /resolve?name=N                    {"name":N,"addresses":[{"ip":..,"weight":..}]}
//	POST /mbt/reset                         {"ok":true}
//	POST /mbt/plan {"weights":{IP:W}}       {"id":n}
//	POST /mbt/deployers/{name}/sync         {"ok":true}, or 409 {"error":..,"refused":true}
//	POST /mbt/deployers/{name}/deploy       (same)
//	POST /mbt/deployers/{name}/cleanup      (same)
//	GET  /mbt/state                         the Observation
//
// Bad requests get a 4xx status and {"error":"..."} and change nothing: 400
// for a malformed body or invalid plan, 404 for an unknown deployer, action or
// path, 405 for a wrong method.
//
// The interface is for the operator's machine, and web pages the operator
// visits must not drive it: a request whose Host is neither a loopback name
// nor one of Config.Hosts (DNS rebinding) or whose Origin names another
// site gets 403, and a POST without Content-Type: application/json (a form
// or text/plain post, which needs no CORS preflight) gets 415.
func (c *ControlPlane) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", only(http.MethodGet, c.servePage))
	mux.HandleFunc("/healthz", only(http.MethodGet, c.serveHealth))
	mux.HandleFunc("/resolve", only(http.MethodGet, c.serveResolve))
	mux.HandleFunc("/mbt/reset", only(http.MethodPost, c.serveReset))
	mux.HandleFunc("/mbt/plan", only(http.MethodPost, c.servePlan))
	mux.HandleFunc("/mbt/deployers/{name}/{action}", only(http.MethodPost, c.serveAction))
	mux.HandleFunc("/mbt/state", only(http.MethodGet, c.serveState))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no such path %s", r.URL.Path))
	})
	return localguard.Wrap(mux, c.cfg.Hosts...)
}

// only restricts h to one method (GET also allows HEAD).
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("method %s not allowed on %s, use %s", r.Method, r.URL.Path, method))
			return
		}
		h(w, r)
	}
}

// healthResponse is the body of /healthz.
type healthResponse struct {
	Status string `json:"status"`           // "ok" or "degraded"
	Root   int    `json:"root"`             // plan the root points at
	Reason string `json:"reason,omitempty"` // why it is degraded
}

func (c *ControlPlane) serveHealth(w http.ResponseWriter, _ *http.Request) {
	c.mu.RLock()
	root, err := layout.ReadAlias(c.store, layout.Root)
	resolves := len(c.store.Resolve(layout.Root)) > 0
	lagging, lagErr := c.lagging()
	c.mu.RUnlock()
	switch {
	case err != nil || (!resolves && root != layout.Placeholder):
		writeJSON(w, http.StatusServiceUnavailable, healthResponse{Status: "degraded", Root: root, Reason: "the root does not resolve"})
	case lagErr != nil:
		writeJSON(w, http.StatusServiceUnavailable, healthResponse{Status: "degraded", Root: root, Reason: lagErr.Error()})
	case len(lagging) > 0:
		writeJSON(w, http.StatusServiceUnavailable, healthResponse{Status: "degraded", Root: root,
			Reason: fmt.Sprintf("the state of %s lags behind its deploy in the zone (its save failed; the next operation reconciles it)", strings.Join(lagging, ", "))})
	default:
		writeJSON(w, http.StatusOK, healthResponse{Status: "ok", Root: root})
	}
}

// resolveResponse is the body of /resolve.
type resolveResponse struct {
	Name      string               `json:"name"`
	Addresses []wormhole53.Address `json:"addresses"`
}

func (c *ControlPlane) serveResolve(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		writeError(w, http.StatusBadRequest, errors.New("missing query parameter name"))
		return
	}
	writeJSON(w, http.StatusOK, resolveResponse{Name: name, Addresses: c.Resolve(name)})
}

// okResponse is the body of a successful action.
type okResponse struct {
	OK bool `json:"ok"`
}

func (c *ControlPlane) serveReset(w http.ResponseWriter, _ *http.Request) {
	if err := c.Reset(); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, okResponse{OK: true})
}

// planRequest is the body of POST /mbt/plan.
type planRequest struct {
	Weights map[string]int `json:"weights"`
}

// planResponse is the reply to POST /mbt/plan.
type planResponse struct {
	ID int `json:"id"`
}

func (c *ControlPlane) servePlan(w http.ResponseWriter, r *http.Request) {
	var req planRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	id, err := c.Plan(req.Weights)
	if err != nil {
		writeActionError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, planResponse{ID: id})
}

func (c *ControlPlane) serveAction(w http.ResponseWriter, r *http.Request) {
	name, action := r.PathValue("name"), r.PathValue("action")
	var err error
	switch action {
	case "sync":
		err = c.Sync(r.Context(), name)
	case "deploy":
		_, err = c.Deploy(r.Context(), name)
	case "cleanup":
		_, err = c.Cleanup(r.Context(), name)
	default:
		writeError(w, http.StatusNotFound, fmt.Errorf("unknown action %q: want sync, deploy or cleanup", action))
		return
	}
	if err != nil {
		writeActionError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, okResponse{OK: true})
}

func (c *ControlPlane) serveState(w http.ResponseWriter, _ *http.Request) {
	obs, err := c.Observe()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, obs)
}

// errorResponse is the body of every error reply.
type errorResponse struct {
	Error   string `json:"error"`
	Refused bool   `json:"refused,omitempty"` // refused by the deployer's rules
}

// writeActionError maps an action's error to its status: 409 for a refusal,
// 404 for an unknown deployer, 400 for an invalid plan, 500 otherwise.
func writeActionError(w http.ResponseWriter, err error) {
	switch {
	case deployer.IsRefusal(err):
		writeJSON(w, http.StatusConflict, errorResponse{Error: err.Error(), Refused: true})
	case errors.Is(err, ErrUnknownDeployer):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, planner.ErrInvalidPlan):
		writeError(w, http.StatusBadRequest, err)
	default:
		writeError(w, http.StatusInternalServerError, err)
	}
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, errorResponse{Error: err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

// decodeJSON decodes exactly one JSON value with no unknown fields from the
// request body.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON body: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("malformed JSON body: trailing data")
	}
	return nil
}
