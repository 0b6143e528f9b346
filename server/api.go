package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n')) // an error here is the client's going away
	return nil
}

// profile returns the loaded profile with an id.
func (s *Server) profile(id string) (*rules.Profile, bool) {
	for _, p := range s.Profiles {
		if p.ID == id {
			return p, true
		}
	}
	return nil, false
}

func noProfile(id string) *Problem {
	return problem("not-found", http.StatusNotFound, "no such profile: "+id)
}

// A documentJSON is what the API says of a parsed document: what it is,
// its structured facts, and the hidden text found in it (only counted and
// explained: the text itself is never sent back). Contact details and the
// text are left out; the ATS has the file.
type documentJSON struct {
	File             string             `json:"file"`
	Format           parser.Format      `json:"format"`
	SHA256           string             `json:"sha256"`
	Bytes            int64              `json:"bytes"`
	Pages            int                `json:"pages"`
	AsOf             parser.Month       `json:"as_of"`
	Warnings         []string           `json:"warnings"`
	Hidden           hiddenJSON         `json:"hidden_text"`
	Sections         []sectionJSON      `json:"sections"`
	Positions        []parser.Position  `json:"positions"`
	Education        []parser.Education `json:"education"`
	Certifications   []string           `json:"certifications"`
	ExperienceMonths int                `json:"experience_months"`
}

type hiddenJSON struct {
	Count   int      `json:"count"`   // runs of hidden text found
	Reasons []string `json:"reasons"` // why it is hidden, distinct, sorted
}

type sectionJSON struct {
	Kind    parser.SectionKind `json:"kind"`
	Heading string             `json:"heading"`
}

func documentOf(r *parser.Resume) documentJSON {
	d := documentJSON{
		File: r.File, Format: r.Format, SHA256: r.SHA256, Bytes: r.Bytes, Pages: r.Pages, AsOf: r.AsOf,
		Warnings: nonNil(r.Warnings), Positions: nonNil(r.Positions), Education: nonNil(r.Education),
		Certifications: nonNil(r.Certifications), ExperienceMonths: r.ExperienceMonths,
		Hidden:   hiddenJSON{Count: len(r.HiddenText), Reasons: []string{}},
		Sections: []sectionJSON{},
	}
	for _, h := range r.HiddenText {
		if !slices.Contains(d.Hidden.Reasons, h.Reason) {
			d.Hidden.Reasons = append(d.Hidden.Reasons, h.Reason)
		}
	}
	slices.Sort(d.Hidden.Reasons)
	for _, sec := range r.Sections {
		d.Sections = append(d.Sections, sectionJSON{sec.Kind, sec.Heading})
	}
	return d
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// A candidateJSON is a stored candidate. Results are full (with evidence)
// in the answer to POST, and summaries with a link in GET.
type candidateJSON struct {
	ID         string       `json:"id"`
	ExternalID string       `json:"external_id"`
	Added      time.Time    `json:"added"`
	Updated    time.Time    `json:"updated"`
	Document   documentJSON `json:"document"`
	Results    any          `json:"results"`
}

// A summaryJSON is a result without its requirements.
type summaryJSON struct {
	Profile         rules.ProfileRef `json:"profile"`
	Score           float64          `json:"score"`
	Qualified       bool             `json:"qualified"`
	Tier            string           `json:"tier"`
	KnockoutsFailed []string         `json:"knockouts_failed"`
	AsOf            parser.Month     `json:"as_of"`
	Version         string           `json:"version"`
	Href            string           `json:"href"` // the full result, with evidence
}

func resultHref(id, profile string) string {
	return "/v1/candidates/" + url.PathEscape(id) + "/results/" + url.PathEscape(profile)
}

// results returns a candidate's results for the loaded profiles, in their
// order. (A result kept from a profile no longer loaded is still served by
// GET .../results/{profile}.)
func (s *Server) results(c *scoring.Candidate) []rules.Result {
	out := []rules.Result{}
	for _, p := range s.Profiles {
		if r, ok := c.Results[p.ID]; ok {
			out = append(out, r)
		}
	}
	return out
}

func summaries(id string, rs []rules.Result) []summaryJSON {
	out := make([]summaryJSON, len(rs))
	for i, r := range rs {
		out[i] = summaryJSON{r.Profile, r.Score, r.Qualified, r.Tier, nonNil(r.KnockoutsFailed), r.AsOf, r.Version, resultHref(id, r.Profile.ID)}
	}
	return out
}

func (s *Server) candidateOf(c *scoring.Candidate, full bool) candidateJSON {
	cj := candidateJSON{ID: c.ID, ExternalID: c.ExternalID, Added: c.Added.UTC(), Updated: c.Updated.UTC(), Document: documentOf(c.Resume)}
	if full {
		cj.Results = s.results(c)
	} else {
		cj.Results = summaries(c.ID, s.results(c))
	}
	return cj
}

// handlePutCandidate is POST /v1/candidates: parse, store and score a
// resume. With an external id the call is idempotent: the same id and
// content answer 200 with the stored candidate, the same id with new
// content replaces it (200), and a new candidate is 201 with Location.
func (s *Server) handlePutCandidate(w http.ResponseWriter, r *http.Request) error {
	up, err := s.readUpload(r)
	if err != nil {
		return err
	}
	res, err := s.parse(r, up)
	if err != nil {
		return err
	}
	put, err := s.Store.Put(r.Context(), res, up.externalID)
	if err != nil {
		return err
	}
	c := put.Candidate
	if put.Created || put.Changed {
		s.notify(c)
	}
	status := http.StatusOK
	if put.Created {
		status = http.StatusCreated
		w.Header().Set("Location", "/v1/candidates/"+url.PathEscape(c.ID))
	}
	return writeJSON(w, status, s.candidateOf(c, true))
}

// notify queues a webhook delivery for each of a candidate's results whose
// profile has a webhook.
func (s *Server) notify(c *scoring.Candidate) {
	for _, p := range s.Profiles {
		res, ok := c.Results[p.ID]
		if !ok || p.Webhook == "" {
			continue
		}
		id := newID()
		body, err := json.Marshal(WebhookEvent{Event: "result", Delivery: id, Candidate: c.ID, ExternalID: c.ExternalID, Result: res})
		if err != nil {
			s.logger().Error("webhook: encoding the event", "candidate", c.ID, "err", err)
			continue
		}
		s.hooks.enqueue(delivery{url: p.Webhook, id: id, body: body})
	}
}

func (s *Server) handleGetCandidate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Store.Get(r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.candidateOf(c, false))
}

func (s *Server) handleGetResult(w http.ResponseWriter, r *http.Request) error {
	id, pid := r.PathValue("id"), r.PathValue("profile")
	c, err := s.Store.Get(id)
	if err != nil {
		return err
	}
	res, ok := c.Results[pid]
	if !ok {
		return problem("not-found", http.StatusNotFound, "the candidate has no result for profile "+pid)
	}
	return writeJSON(w, http.StatusOK, res)
}

// handleDeleteCandidate erases a candidate: its document, facts, index
// entry and results.
func (s *Server) handleDeleteCandidate(w http.ResponseWriter, r *http.Request) error {
	if err := s.Store.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// A scoreJSON is the answer to POST /v1/score.
type scoreJSON struct {
	Document documentJSON   `json:"document"`
	Results  []rules.Result `json:"results"`
}

// handleScore is POST /v1/score: parse and score a resume against every
// profile, or ?profile=, storing nothing.
func (s *Server) handleScore(w http.ResponseWriter, r *http.Request) error {
	pid := r.URL.Query().Get("profile")
	if pid != "" {
		if _, ok := s.profile(pid); !ok {
			return badParam("profile", "no such profile: "+pid)
		}
	}
	up, err := s.readUpload(r)
	if err != nil {
		return err
	}
	if up.externalID != "" {
		return badParam("external_id", "POST /v1/score stores nothing, so it takes no external_id; use POST /v1/candidates")
	}
	res, err := s.parse(r, up)
	if err != nil {
		return err
	}
	results, err := s.Store.Score(r.Context(), res)
	if err != nil {
		return err
	}
	if pid != "" {
		results = slices.DeleteFunc(results, func(r rules.Result) bool { return r.Profile.ID != pid })
	}
	return writeJSON(w, http.StatusOK, scoreJSON{Document: documentOf(res), Results: nonNil(results)})
}

// A profileJSON describes a loaded profile.
type profileJSON struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Description  string            `json:"description,omitempty"`
	Hash         string            `json:"hash"`
	Webhook      bool              `json:"webhook"` // whether results are posted to a webhook (its URL is not shown)
	Tiers        []rules.Tier      `json:"tiers"`
	Requirements []requirementJSON `json:"requirements"`
}

type requirementJSON struct {
	ID          string  `json:"id"`
	Requirement string  `json:"requirement"`
	Kind        string  `json:"kind"`
	Weight      float64 `json:"weight"`
	Knockout    bool    `json:"knockout"`
}

func profileOf(p *rules.Profile) profileJSON {
	pj := profileJSON{ID: p.ID, Title: p.Title, Description: p.Description, Hash: p.Hash(), Webhook: p.Webhook != "",
		Tiers: nonNil(p.Tiers), Requirements: []requirementJSON{}}
	for _, r := range p.Requirements {
		pj.Requirements = append(pj.Requirements, requirementJSON{r.ID, r.Requirement, r.Kind, r.Weight, r.Knockout})
	}
	return pj
}

func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) error {
	out := []profileJSON{}
	for _, p := range s.Profiles {
		out = append(out, profileOf(p))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) error {
	p, ok := s.profile(r.PathValue("id"))
	if !ok {
		return noProfile(r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, profileOf(p))
}

// maxQuery bounds the q and where parameters of a shortlist.
const maxQuery = 4096

// shortlistQuery reads and checks the query parameters of a shortlist:
// top, min_score, qualified, q (a bleve query string) and where (a CEL
// filter). The store parses q and compiles where; their errors name the
// parameter (see Error).
func shortlistQuery(p *rules.Profile, v url.Values) (scoring.ShortlistQuery, error) {
	q := scoring.ShortlistQuery{Profile: p.ID, Top: scoring.DefaultTop}
	if s := v.Get("top"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > scoring.MaxTop {
			return q, badParam("top", "top must be a whole number from 1 to "+strconv.Itoa(scoring.MaxTop))
		}
		q.Top = n
	}
	if s := v.Get("min_score"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 100 {
			return q, badParam("min_score", "min_score must be a number from 0 to 100")
		}
		q.MinScore = f
	}
	if s := v.Get("qualified"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return q, badParam("qualified", "qualified must be true or false")
		}
		q.Qualified = b
	}
	q.Text = strings.TrimSpace(v.Get("q"))
	q.Where = strings.TrimSpace(v.Get("where"))
	if len(q.Text) > maxQuery {
		return q, badParam("q", "q is longer than "+strconv.Itoa(maxQuery)+" bytes")
	}
	if len(q.Where) > maxQuery {
		return q, badParam("where", "where is longer than "+strconv.Itoa(maxQuery)+" bytes")
	}
	return q, nil
}

// A shortlistJSON is the answer to GET /v1/profiles/{id}/shortlist.
type shortlistJSON struct {
	Profile    rules.ProfileRef `json:"profile"`
	Total      int              `json:"total"`       // candidates that pass the filters
	TotalExact bool             `json:"total_exact"` // false: Total is an estimate (a where filter was applied to the best candidates only)
	Candidates []entryJSON      `json:"candidates"`
}

type entryJSON struct {
	Rank            int      `json:"rank"`
	ID              string   `json:"id"`
	ExternalID      string   `json:"external_id"`
	File            string   `json:"file"`
	Score           float64  `json:"score"`
	Qualified       bool     `json:"qualified"`
	Tier            string   `json:"tier"`
	KnockoutsFailed []string `json:"knockouts_failed"`
	Href            string   `json:"href"`
}

func (s *Server) handleShortlist(w http.ResponseWriter, r *http.Request) error {
	p, ok := s.profile(r.PathValue("id"))
	if !ok {
		return noProfile(r.PathValue("id"))
	}
	q, err := shortlistQuery(p, r.URL.Query())
	if err != nil {
		return err
	}
	// The list links to each result; reading every entry's evidence from
	// its file would cost more than the query.
	q.Summaries = true
	sl, err := s.Store.Shortlist(r.Context(), q)
	if err != nil {
		return err
	}
	out := shortlistJSON{Profile: rules.ProfileRef{ID: p.ID, Hash: p.Hash()}, Total: sl.Total, TotalExact: sl.TotalExact, Candidates: []entryJSON{}}
	for i, e := range sl.Entries {
		res := e.Result
		out.Candidates = append(out.Candidates, entryJSON{i + 1, e.ID, e.ExternalID, e.File, res.Score, res.Qualified, res.Tier,
			nonNil(res.KnockoutsFailed), resultHref(e.ID, p.ID)})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

// handleReadyz answers 200 when the store is open and answers a look-up
// (of an id that does not exist), and 503 otherwise.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Store.Get("readyz-probe"); err != nil && !errors.Is(err, scoring.ErrNotFound) {
		s.logger().Warn("not ready", "err", err)
		return problem("unavailable", http.StatusServiceUnavailable, "the candidate store is not available")
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "candidates": s.Store.Len()})
}
