package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
)

// Scopes an API key can hold. admin implies write, and write implies read.
const (
	ScopeRead  = "read"  // results, shortlists, profiles, the pages
	ScopeWrite = "write" // push and score resumes
	ScopeAdmin = "admin" // delete candidates, metrics
)

// A Key is an API key as the configuration stores it: the key's id (for
// logs and rate limits, never secret), the hex sha256 of its secret, and
// its scopes.
type Key struct {
	ID     string   `mapstructure:"id" json:"id"`
	Hash   string   `mapstructure:"hash" json:"hash"`
	Scopes []string `mapstructure:"scopes" json:"scopes"`
}

// HashKey returns the hex sha256 of an API key's secret, the form Key.Hash
// stores.
func HashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// keyFor returns the configured key whose hash is the secret's, comparing
// in constant time.
func (s *Server) keyFor(secret string) (*Key, bool) {
	if secret == "" {
		return nil, false
	}
	got := HashKey(secret)
	var found *Key
	for i := range s.Keys {
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.Keys[i].Hash)) == 1 {
			found = &s.Keys[i]
		}
	}
	return found, found != nil
}

// allows reports whether k holds scope, directly or through a wider one.
func (k *Key) allows(scope string) bool {
	switch scope {
	case ScopeRead:
		return slices.Contains(k.Scopes, ScopeRead) || slices.Contains(k.Scopes, ScopeWrite) || slices.Contains(k.Scopes, ScopeAdmin)
	case ScopeWrite:
		return slices.Contains(k.Scopes, ScopeWrite) || slices.Contains(k.Scopes, ScopeAdmin)
	}
	return slices.Contains(k.Scopes, scope)
}

// bearer returns the secret of an "Authorization: Bearer <secret>" header,
// or "" when there is none.
func bearer(r *http.Request) string {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(secret)
}

// authorize checks the request's API key for scope. When the key is
// missing or unknown it answers 401 with a WWW-Authenticate challenge, and
// when the key lacks the scope 403, both as problem documents, and returns
// false. Otherwise it returns the key. The API's routes call it through
// their route table; a page handler calls it itself.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, scope string) (*Key, bool) {
	k, ok := s.keyFor(bearer(r))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sift"`)
		WriteProblem(w, r, problem("unauthorized", http.StatusUnauthorized,
			"send an API key as \"Authorization: Bearer <key>\""))
		return nil, false
	}
	if !k.allows(scope) {
		WriteProblem(w, r, problem("forbidden", http.StatusForbidden,
			"API key "+k.ID+" does not have the "+scope+" scope"))
		return nil, false
	}
	return k, true
}
