package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type openapiDoc struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openapiOperation `json:"paths"`
}

type openapiOperation struct {
	Scope     *string                    `json:"x-sift-scope"`
	Security  []map[string][]string      `json:"security"`
	Responses map[string]json.RawMessage `json:"responses"`
}

// TestOpenAPI checks openapi.json against the route table and the mux:
// every route is documented with its scope and its auth statuses, and
// every documented operation is served by the route of that pattern.
func TestOpenAPI(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	w := do(h, "GET", "/openapi.json", readKey, nil)
	if w.Code != 200 {
		t.Fatalf("GET /openapi.json: got %d; want 200", w.Code)
	}
	var doc openapiDoc
	decode(t, w, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi: got %q; want 3.1.x", doc.OpenAPI)
	}

	documented := map[string]openapiOperation{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = op
		}
	}
	served := map[string]route{}
	for _, rt := range s.routes {
		served[rt.Pattern()] = rt
	}
	for pattern, rt := range served {
		op, ok := documented[pattern]
		if !ok {
			t.Errorf("%s is served but not documented", pattern)
			continue
		}
		if op.Scope == nil || *op.Scope != rt.Scope {
			t.Errorf("%s: x-sift-scope: got %v; want %q", pattern, op.Scope, rt.Scope)
		}
		if open := len(op.Security) == 0; open != (rt.Scope == "") {
			t.Errorf("%s: security %v does not match scope %q", pattern, op.Security, rt.Scope)
		}
		for _, code := range []string{"401", "403", "429"} {
			if _, ok := op.Responses[code]; ok != (rt.Scope != "") {
				t.Errorf("%s: response %s documented: %v; want %v", pattern, code, ok, rt.Scope != "")
			}
		}
	}
	for pattern := range documented {
		if _, ok := served[pattern]; !ok {
			t.Errorf("%s is documented but not in the route table", pattern)
		}
	}

	// And the mux really routes each documented operation to that route.
	mux := http.NewServeMux()
	s.apiRoutes(mux)
	for pattern := range documented {
		method, path, _ := strings.Cut(pattern, " ")
		concrete := strings.NewReplacer("{id}", "x1", "{profile}", "cso").Replace(path)
		r := httptest.NewRequest(method, concrete, nil)
		if _, got := mux.Handler(r); got != pattern {
			t.Errorf("%s %s is routed to %q; want %q", method, concrete, got, pattern)
		}
	}
}

func TestOpenAPIIsValidJSON(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal(openapiJSON, &v); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	// Every $ref points at a schema that exists.
	schemas := v["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if _, ok := schemas[name]; !ok {
					t.Errorf("$ref %s: no such schema", ref)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
}
