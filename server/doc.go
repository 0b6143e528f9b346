// Package server is sift's HTTP side: a versioned JSON API for applicant
// tracking systems (push a resume, read its results, fetch a shortlist,
// delete a candidate) and server-rendered shortlist pages for hiring
// managers, with API keys, limits, metrics and an OpenAPI document.
//
// It is the only package that maps errors to HTTP statuses; errors go out
// as RFC 9457 problem documents with no internals.
package server
