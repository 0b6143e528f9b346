package server

import (
	_ "embed"
	"net/http"
)

// openapiJSON is the OpenAPI 3.1 document of the API. A test checks it
// against the route table: every route is documented, with its scope, and
// every documented operation is served.
//
//go:embed openapi.json
var openapiJSON []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openapiJSON)
	return nil
}
