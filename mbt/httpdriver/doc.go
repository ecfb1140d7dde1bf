// Package httpdriver drives a service under test that speaks JSON over
// HTTP, for package mbt: Client sends requests and turns status codes into
// errors (a refusal, 409 Conflict by default, satisfies mbt.ErrRefused),
// PostJSON and GetJSON decode typed answers, and Driver is an mbt.Driver
// and mbt.Observer that posts each step as a StepRequest and reads the
// service's state:
//
//	newDriver := func(testing.TB) mbt.Driver[Bank] {
//		return &httpdriver.Driver[Bank]{
//			Client:    &httpdriver.Client{BaseURL: srv.URL},
//			StatePath: "/mbt/state",
//		}
//	}
//	mbt.Run(t, model, newDriver, mbt.Options{})
package httpdriver
