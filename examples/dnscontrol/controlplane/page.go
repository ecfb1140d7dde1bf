package controlplane

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"

	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

// pageData is what the status page shows.
type pageData struct {
	Obs       Observation
	Config    Config
	Root      aliasView
	Rollback  aliasView
	Addresses []wormhole53.Address // what clouddb resolves to
	Healthy   bool
	Records   []wormhole53.Record
}

// aliasView is the tree under the root or the rollback alias.
type aliasView struct {
	Name     string
	Plan     int
	PlanName string
	Exists   bool // the plan tree is in the zone (always true for plan 0)
	LBs      []lbView
}

// lbView is one load balancer of a plan tree.
type lbView struct {
	Name   string
	Weight int
	IP     string // "" if the A record is missing
}

func (c *ControlPlane) servePage(w http.ResponseWriter, _ *http.Request) {
	c.mu.RLock()
	data, err := c.pageData()
	c.mu.RUnlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// pageData gathers the page's data with c.mu held.
func (c *ControlPlane) pageData() (pageData, error) {
	obs, err := c.observe()
	if err != nil {
		return pageData{}, err
	}
	addrs := c.store.Resolve(layout.Root)
	return pageData{
		Obs:       obs,
		Config:    c.cfg,
		Root:      c.aliasView(layout.Root, obs.Zone.Root),
		Rollback:  c.aliasView(layout.Rollback, obs.Zone.Rollback),
		Addresses: addrs,
		Healthy:   len(addrs) > 0 || obs.Zone.Root == layout.Placeholder,
		Records:   c.store.Records(),
	}, nil
}

// aliasView reads the plan tree an alias points at.
func (c *ControlPlane) aliasView(name string, plan int) aliasView {
	v := aliasView{Name: name, Plan: plan, PlanName: layout.PlanName(plan), Exists: layout.TreeExists(c.store, plan)}
	tree, ok := c.store.Get(v.PlanName, wormhole53.TypeAlias)
	if !ok {
		return v
	}
	for _, t := range tree.Targets {
		lb := lbView{Name: t.Name, Weight: t.Weight}
		if a, ok := c.store.Get(t.Name, wormhole53.TypeA); ok {
			lb.IP = a.Value
		}
		v.LBs = append(v.LBs, lb)
	}
	return v
}
