package server

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"sift/internal/report"
	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

// The shortlist pages, for hiring managers: /ui/ lists the candidates of a
// profile, ranked, with filters; /ui/candidates/{id} shows one candidate's
// requirements and the evidence marked in the resume text. They are plain
// server-rendered HTML (no JavaScript), escape everything a resume brings,
// and print cleanly.
//
// Every page needs an API key with read scope: as a Bearer token (API
// clients, tests) or through the sign-in form, which keeps the key's id in
// a server-side session named by a random id in an HttpOnly, SameSite=Strict
// cookie. The key itself is never put in the cookie.

//go:embed templates
var templateFS embed.FS

// uiTemplates are the report's templates ("style", "candidate") and the
// pages'. It is cloned here, at package initialisation, because a template
// set cannot be cloned once it has executed.
var uiTemplates = template.Must(template.Must(report.Templates.Clone()).
	Funcs(report.Funcs).Funcs(template.FuncMap{
	"statusLabel": statusLabel,
}).ParseFS(templateFS, "templates/*.html"))

// uiCSS is the pages' stylesheet: the report's style, then the pages' own.
var uiCSS = func() []byte {
	var b bytes.Buffer
	if err := uiTemplates.ExecuteTemplate(&b, "style", nil); err != nil {
		panic(err)
	}
	css := b.String()
	if _, after, ok := strings.Cut(css, "<style>"); ok {
		css, _, _ = strings.Cut(after, "</style>")
	}
	own, err := templateFS.ReadFile("templates/ui.css")
	if err != nil {
		panic(err)
	}
	return []byte("/* the report's style (internal/report) */" + css + "\n" + string(own))
}()

// uiFavicon is the pages' icon.
var uiFavicon = func() []byte {
	b, err := templateFS.ReadFile("templates/favicon.svg")
	if err != nil {
		panic(err)
	}
	return b
}()

// Page and session settings.
const (
	sessionCookie   = "sift_session"
	sessionTTL      = 8 * time.Hour  // a session lasts a working day, then signs in again
	maxSessions     = 10000          // sessions held at once; the oldest go first
	uiDefaultTop    = 25             // candidates listed when the form does not say
	uiMaxTop        = scoring.MaxTop // the most candidates one page lists
	uiMaxQuery      = 4096           // bytes of a text query or a where filter, as the API takes
	maxLoginBody    = 8 << 10        // bytes of a sign-in form
	contentSecurity = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

// ui serves the pages of one Server.
type ui struct {
	s        *Server
	sessions *sessions
	csrf     *http.CrossOriginProtection
}

// uiRoutes registers the pages under /ui/.
func (s *Server) uiRoutes(mux *http.ServeMux) {
	u := &ui{s: s, sessions: newSessions(maxSessions, sessionTTL, s.now), csrf: http.NewCrossOriginProtection()}
	mux.HandleFunc("GET /ui/{$}", u.auth(u.shortlist))
	mux.HandleFunc("GET /ui/candidates/{id}", u.auth(u.candidate))
	mux.HandleFunc("GET /ui/login", u.loginForm)
	mux.HandleFunc("POST /ui/login", u.login)
	mux.HandleFunc("POST /ui/logout", u.logout)
	mux.HandleFunc("GET /ui/static/sift.css", u.stylesheet)
	mux.HandleFunc("GET /ui/static/favicon.svg", u.favicon)
	mux.HandleFunc("/ui/", u.notFound)
}

// A viewer is who is looking at a page: the key's id, and whether they
// signed in with the form (and so have a session to sign out of).
type viewer struct {
	KeyID   string
	Session bool
}

// page is what every page's layout reads.
type page struct {
	Title   string
	Viewer  *viewer // nil on the sign-in page
	Version string
}

// auth calls h for a viewer whose key has read scope. A request without a
// key or session is sent to the sign-in form; a wrong Bearer key gets 401,
// a key without read scope 403.
func (u *ui) auth(h func(http.ResponseWriter, *http.Request, *viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if hdr := r.Header.Get("Authorization"); hdr != "" {
			scheme, secret, _ := strings.Cut(hdr, " ")
			k, ok := u.s.keyFor(strings.TrimSpace(secret))
			if !strings.EqualFold(scheme, "Bearer") || !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="sift"`)
				u.errorPage(w, r, nil, http.StatusUnauthorized, "Not signed in", "The API key sent is not one this server knows.")
				return
			}
			if !k.allows(ScopeRead) {
				u.errorPage(w, r, nil, http.StatusForbidden, "Not allowed", "The API key "+k.ID+" does not have read scope, which these pages need.")
				return
			}
			u.limit(h, w, r, &viewer{KeyID: k.ID})
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil {
			if k, ok := u.sessionKey(c.Value); ok {
				u.limit(h, w, r, &viewer{KeyID: k.ID, Session: true})
				return
			}
			clearCookie(w, r)
		}
		http.Redirect(w, r, "/ui/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
}

// limit calls h unless the viewer's key is over its rate limit, which the
// pages share with the API.
func (u *ui) limit(h func(http.ResponseWriter, *http.Request, *viewer), w http.ResponseWriter, r *http.Request, v *viewer) {
	if ok, wait := u.s.limiters.allow(v.KeyID, u.s.now()); !ok {
		secs := max(1, int((wait+time.Second-1)/time.Second))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		u.errorPage(w, r, v, http.StatusTooManyRequests, "Too many requests",
			fmt.Sprintf("Key %s has made more requests than this server allows for now. Please wait %d s and reload.", v.KeyID, secs))
		return
	}
	h(w, r, v)
}

// sessionKey returns the key a session was opened with, while the session
// lasts and the key is still configured with read scope.
func (u *ui) sessionKey(id string) (*Key, bool) {
	sess, ok := u.sessions.get(id)
	if !ok {
		return nil, false
	}
	for i := range u.s.Keys {
		k := &u.s.Keys[i]
		if k.ID == sess.keyID && k.Hash == sess.keyHash && k.allows(ScopeRead) {
			return k, true
		}
	}
	return nil, false
}

// loginPage is the sign-in form's data.
type loginPage struct {
	page
	Next      string
	Error     string
	SignedOut bool
}

// loginForm shows the sign-in form, or goes on to the page asked for when
// the browser is signed in already.
func (u *ui) loginForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if c, err := r.Cookie(sessionCookie); err == nil {
		if _, ok := u.sessionKey(c.Value); ok {
			http.Redirect(w, r, safeNext(q.Get("next")), http.StatusSeeOther)
			return
		}
	}
	u.render(w, http.StatusOK, "ui-login", &loginPage{
		page:      page{Title: "Sign in", Version: u.s.Version},
		Next:      safeNext(q.Get("next")),
		SignedOut: q.Has("signed_out"),
	})
}

// login checks the key of the sign-in form and opens a session for it.
func (u *ui) login(w http.ResponseWriter, r *http.Request) {
	if err := u.sameOrigin(r); err != nil {
		u.errorPage(w, r, nil, http.StatusForbidden, "Sign-in refused", "The sign-in form was sent from another site.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	data := &loginPage{page: page{Title: "Sign in", Version: u.s.Version}}
	if err := r.ParseForm(); err != nil {
		data.Error = "The form could not be read; please try again."
		u.render(w, http.StatusBadRequest, "ui-login", data)
		return
	}
	data.Next = safeNext(r.PostForm.Get("next"))
	k, ok := u.s.keyFor(strings.TrimSpace(r.PostForm.Get("key")))
	switch {
	case !ok:
		data.Error = "That API key is not one this server knows."
		u.render(w, http.StatusUnauthorized, "ui-login", data)
		return
	case !k.allows(ScopeRead):
		data.Error = "That API key does not have read scope, which these pages need."
		u.render(w, http.StatusForbidden, "ui-login", data)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		u.sessions.delete(c.Value) // a new session id at every sign-in
	}
	id, expires, err := u.sessions.create(k)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    id,
		Path:     "/ui/",
		Expires:  expires,
		MaxAge:   int(sessionTTL / time.Second),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	u.s.logger().InfoContext(r.Context(), "signed in to the pages", "key", k.ID)
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

// logout ends the session, if any, and returns to the sign-in form.
func (u *ui) logout(w http.ResponseWriter, r *http.Request) {
	if err := u.sameOrigin(r); err != nil {
		u.errorPage(w, r, nil, http.StatusForbidden, "Sign-out refused", "The sign-out form was sent from another site.")
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		u.sessions.delete(c.Value)
	}
	clearCookie(w, r)
	http.Redirect(w, r, "/ui/login?signed_out=1", http.StatusSeeOther)
}

// sameOrigin refuses a cross-site POST: by Sec-Fetch-Site or Origin (as
// http.CrossOriginProtection does), and, when a browser sent neither, by
// Referer. Requests with none of the three are not from a browser form.
func (u *ui) sameOrigin(r *http.Request) error {
	if err := u.csrf.Check(r); err != nil {
		return err
	}
	if r.Header.Get("Sec-Fetch-Site") != "" || r.Header.Get("Origin") != "" {
		return nil
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		if p, err := url.Parse(ref); err != nil || p.Host != r.Host {
			return errors.New("cross-origin Referer")
		}
	}
	return nil
}

func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/ui/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// safeNext returns next when it is a path under /ui/ on this server (where
// to go after signing in), and /ui/ otherwise.
func safeNext(next string) string {
	p, err := url.Parse(next)
	if err != nil || next == "" || p.Scheme != "" || p.Host != "" || p.User != nil || p.Opaque != "" ||
		!strings.HasPrefix(next, "/ui/") || strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(p.Path, "/ui/login") {
		return "/ui/"
	}
	return next
}

// A formField is one filter of the shortlist form as typed, and what is
// wrong with it.
type formField struct {
	Value string
	Error string
}

// shortlistForm is the shortlist form as submitted.
type shortlistForm struct {
	Profile, Top, MinScore, Q, Where formField
	Qualified                        bool
}

// values returns the form's query parameters, for links that keep it.
func (f *shortlistForm) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("profile", f.Profile.Value)
	set("top", f.Top.Value)
	set("min_score", f.MinScore.Value)
	if f.Qualified {
		v.Set("qualified", "1")
	}
	set("q", f.Q.Value)
	set("where", f.Where.Value)
	return v
}

// checked reports whether a checkbox's value is on: the form's "1", a
// browser's default "on", or what strconv.ParseBool takes as true.
func checked(v string) bool {
	b, err := strconv.ParseBool(v)
	return v == "on" || err == nil && b
}

func (f *shortlistForm) invalid() bool {
	return f.Profile.Error != "" || f.Top.Error != "" || f.MinScore.Error != "" || f.Q.Error != "" || f.Where.Error != ""
}

// profileOption is a choice of the profile menu.
type profileOption struct {
	ID, Title string
	Selected  bool
}

// shortlistRow is one ranked candidate.
type shortlistRow struct {
	Rank   int
	File   string
	URL    string
	Result rules.Result
}

// shortlistPage is the shortlist's data.
type shortlistPage struct {
	page
	Profiles   []profileOption
	Profile    *rules.Profile
	Form       shortlistForm
	Ran        bool // the search ran (the form was valid)
	Rows       []shortlistRow
	Total      int  // candidates that matched, before the top-N cut
	TotalExact bool // Total is a count, not an estimate
	Stored     int  // candidates in the store
	Error      string
}

// shortlist lists the ranked candidates of a profile that pass the form's
// filters. A filter the store rejects is shown beside its field.
func (u *ui) shortlist(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	data := &shortlistPage{page: page{Title: "Shortlist", Viewer: v, Version: u.s.Version}}
	f := &data.Form
	f.Profile.Value = q.Get("profile")
	f.Top.Value = strings.TrimSpace(q.Get("top"))
	f.MinScore.Value = strings.TrimSpace(q.Get("min_score"))
	f.Qualified = checked(q.Get("qualified"))
	f.Q.Value = q.Get("q")
	f.Where.Value = q.Get("where")

	if len(u.s.Profiles) == 0 {
		data.Error = "No job profiles are loaded, so there is nothing to rank against."
		u.render(w, http.StatusOK, "ui-shortlist", data)
		return
	}
	if f.Profile.Value == "" {
		f.Profile.Value = u.s.Profiles[0].ID
	}
	data.Profile = u.profile(f.Profile.Value)
	if data.Profile == nil {
		f.Profile.Error = "There is no profile " + strconv.Quote(f.Profile.Value) + "; choose one of the list."
	} else {
		data.Title = data.Profile.Title + ": shortlist"
	}
	for _, p := range u.s.Profiles {
		data.Profiles = append(data.Profiles, profileOption{ID: p.ID, Title: p.Title, Selected: p == data.Profile})
	}

	sq := scoring.ShortlistQuery{Profile: f.Profile.Value, Top: uiDefaultTop, Qualified: f.Qualified, Text: strings.TrimSpace(f.Q.Value), Where: strings.TrimSpace(f.Where.Value)}
	if f.Top.Value != "" {
		n, err := strconv.Atoi(f.Top.Value)
		if err != nil || n < 1 || n > uiMaxTop {
			f.Top.Error = fmt.Sprintf("Give a whole number from 1 to %d.", uiMaxTop)
		}
		sq.Top = n
	}
	if f.MinScore.Value != "" {
		x, err := strconv.ParseFloat(f.MinScore.Value, 64)
		if err != nil || math.IsNaN(x) || x < 0 || x > 100 {
			f.MinScore.Error = "Give a score from 0 to 100."
		}
		sq.MinScore = x
	}
	if len(sq.Text) > uiMaxQuery {
		f.Q.Error = fmt.Sprintf("The query is longer than %d characters.", uiMaxQuery)
	}
	if len(sq.Where) > uiMaxQuery {
		f.Where.Error = fmt.Sprintf("The filter is longer than %d characters.", uiMaxQuery)
	} else if sq.Where != "" && data.Profile != nil {
		if _, err := data.Profile.CompileFilter(sq.Where); err != nil {
			f.Where.Error = fieldError(err, rules.ErrInvalidFilter)
		}
	}
	if f.invalid() {
		u.render(w, http.StatusBadRequest, "ui-shortlist", data)
		return
	}

	res, err := u.s.Store.Shortlist(r.Context(), sq)
	switch {
	case err == nil:
	case errors.Is(err, rules.ErrInvalidFilter):
		f.Where.Error = fieldError(err, rules.ErrInvalidFilter)
	case errors.Is(err, scoring.ErrInvalidQuery):
		f.Q.Error = fieldError(err, scoring.ErrInvalidQuery)
	default:
		status, msg := u.classify(r, err)
		data.Error = msg
		u.render(w, status, "ui-shortlist", data)
		return
	}
	if f.invalid() {
		u.render(w, http.StatusBadRequest, "ui-shortlist", data)
		return
	}
	data.Ran = true
	data.Total, data.TotalExact = res.Total, res.TotalExact
	data.Stored = u.s.Store.Len()
	keep := f.values()
	for i, e := range res.Entries {
		data.Rows = append(data.Rows, shortlistRow{Rank: i + 1, File: cmp.Or(e.File, e.ID), URL: candidateURL(e.ID, keep), Result: e.Result})
	}
	u.render(w, http.StatusOK, "ui-shortlist", data)
}

// candidateURL is the page of a candidate, carrying the shortlist's form so
// that the page can link back to the same list.
func candidateURL(id string, form url.Values) string {
	return withQuery("/ui/candidates/"+url.PathEscape(id), form)
}

// withQuery returns path with the query v, if any.
func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// fieldError is the message of a filter error to show beside its field:
// err's text from the sentinel's on, without the operation before it, and
// without the expression quoted after it, which the field shows.
func fieldError(err, sentinel error) string {
	msg := err.Error()
	if i := strings.Index(msg, sentinel.Error()); i >= 0 {
		msg = msg[i:]
		rest := strings.TrimPrefix(msg[len(sentinel.Error()):], " ")
		if q, err := strconv.QuotedPrefix(rest); err == nil && strings.HasPrefix(rest[len(q):], ": ") {
			msg = sentinel.Error() + rest[len(q):]
		}
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

func (u *ui) profile(id string) *rules.Profile {
	for _, p := range u.s.Profiles {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// candidatePage is a candidate's data.
type candidatePage struct {
	page
	Candidate *scoring.Candidate
	Added     string
	Profile   *rules.Profile
	Others    []profileLink // the other profiles the candidate was scored against
	Result    rules.Result
	Scored    bool // the candidate has a result for Profile
	Reqs      []requirementView
	Text      template.HTML // the resume text, evidence marked
	Marked    int           // evidence spans marked in Text
	Unplaced  int           // evidence spans whose offsets do not fit the text
	Hidden    *hiddenSummary
	Back      string
}

type profileLink struct{ ID, Title, URL string }

// requirementView is how one requirement was scored, with links to its
// evidence in the resume text.
type requirementView struct {
	Outcome rules.Outcome
	Links   []evidenceLink
}

type evidenceLink struct {
	Text   string
	Anchor string
}

// hiddenSummary says how much text the document hid, and how.
type hiddenSummary struct {
	Runs, Chars int
	Reasons     []string
}

// candidate shows one candidate against one profile: the requirements, how
// each was scored, and the resume text with the evidence marked.
func (u *ui) candidate(w http.ResponseWriter, r *http.Request, v *viewer) {
	c, err := u.s.Store.Get(r.PathValue("id"))
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	q := r.URL.Query()
	back := url.Values{}
	for _, k := range []string{"profile", "top", "min_score", "qualified", "q", "where"} {
		if s := q.Get(k); s != "" {
			back.Set(k, s)
		}
	}
	data := &candidatePage{
		page:      page{Title: cmp.Or(c.File, c.ID), Viewer: v, Version: u.s.Version},
		Candidate: c,
		Back:      withQuery("/ui/", back),
	}
	if !c.Added.IsZero() {
		data.Added = c.Added.UTC().Format("2006-01-02 15:04 UTC")
	}
	pid := q.Get("profile")
	if pid == "" && len(u.s.Profiles) > 0 {
		pid = u.s.Profiles[0].ID // unless the candidate has a result for another
		for _, p := range u.s.Profiles {
			if _, ok := resultFor(c, p.ID); ok {
				pid = p.ID
				break
			}
		}
	}
	data.Profile = u.profile(pid)
	if data.Profile == nil {
		u.errorPage(w, r, v, http.StatusNotFound, "No such profile", "There is no profile "+strconv.Quote(pid)+".")
		return
	}
	data.Result, data.Scored = resultFor(c, pid)
	for _, p := range u.s.Profiles {
		if _, ok := resultFor(c, p.ID); ok && p != data.Profile {
			others := url.Values{"profile": {p.ID}}
			data.Others = append(data.Others, profileLink{ID: p.ID, Title: p.Title, URL: candidateURL(c.ID, others)})
		}
	}
	if c.Resume != nil {
		var spans []span
		data.Reqs, spans = evidenceSpans(data.Result.Requirements)
		var placed []bool
		data.Text, placed = markText(c.Resume.Text, spans)
		n := 0
		for i := range data.Reqs {
			for j := range data.Reqs[i].Links {
				if placed[n] {
					data.Marked++
				} else {
					data.Reqs[i].Links[j].Anchor = "" // nothing to link to
					data.Unplaced++
				}
				n++
			}
		}
		data.Hidden = summarizeHidden(c.Resume.HiddenText)
	} else {
		for _, o := range data.Result.Requirements {
			data.Reqs = append(data.Reqs, requirementView{Outcome: o})
		}
	}
	status := http.StatusOK
	if !data.Scored {
		status = http.StatusNotFound
	}
	u.render(w, status, "ui-candidate", data)
}

// resultFor returns a candidate's result for a profile.
func resultFor(c *scoring.Candidate, profile string) (rules.Result, bool) {
	r, ok := c.Results[profile]
	return r, ok
}

// A span is a piece of evidence to mark in the resume text: bytes
// [start, end) of it, the anchor its link points at, and what it is
// evidence for.
type span struct {
	start, end int
	anchor     string
	label      string
}

// evidenceSpans numbers the evidence of outcomes, in order, and returns
// each outcome's links to it and the spans to mark.
func evidenceSpans(outcomes []rules.Outcome) ([]requirementView, []span) {
	var views []requirementView
	var spans []span
	for _, o := range outcomes {
		rv := requirementView{Outcome: o}
		for _, e := range o.Evidence {
			sp := span{start: e.Start, end: e.End, anchor: "ev-" + strconv.Itoa(len(spans)+1), label: o.ID}
			if e.Term != "" && e.Term != o.ID {
				sp.label += ": " + e.Term
			}
			spans = append(spans, sp)
			rv.Links = append(rv.Links, evidenceLink{Text: e.Text, Anchor: sp.anchor})
		}
		views = append(views, rv)
	}
	return views, spans
}

// markText returns text as HTML with every span that fits it wrapped in a
// <mark> whose data-start and data-end are the span's offsets, and whose id
// is the span's anchor. Spans that overlap share one mark, covering their
// union; the anchors of all but the first are empty elements at its start.
// A span whose offsets fall outside the text or inside a UTF-8 sequence is
// not marked, and placed[i] reports whether spans[i] was.
func markText(text string, spans []span) (html template.HTML, placed []bool) {
	placed = make([]bool, len(spans))
	var ok []span
	for i, s := range spans {
		if s.start < 0 || s.end > len(text) || s.start >= s.end || !boundary(text, s.start) || !boundary(text, s.end) {
			continue
		}
		placed[i] = true
		ok = append(ok, s)
	}
	slices.SortStableFunc(ok, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var b strings.Builder
	b.Grow(len(text) + 80*len(ok))
	at := 0
	for i := 0; i < len(ok); {
		end := ok[i].end
		labels := []string{ok[i].label}
		j := i + 1
		for ; j < len(ok) && ok[j].start < end; j++ {
			end = max(end, ok[j].end)
			if !slices.Contains(labels, ok[j].label) {
				labels = append(labels, ok[j].label)
			}
		}
		start := ok[i].start
		b.WriteString(template.HTMLEscapeString(text[at:start]))
		fmt.Fprintf(&b, `<mark id="%s" data-start="%d" data-end="%d" title="%s">`, ok[i].anchor, start, end, template.HTMLEscapeString(strings.Join(labels, "; ")))
		for _, s := range ok[i+1 : j] {
			fmt.Fprintf(&b, `<span id="%s"></span>`, s.anchor)
		}
		b.WriteString(template.HTMLEscapeString(text[start:end]))
		b.WriteString("</mark>")
		at, i = end, j
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	return template.HTML(b.String()), placed
}

// boundary reports whether byte offset i of s starts a character (or is
// the end of s).
func boundary(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}

// hiddenReasons are the parser's reasons for hidden text, in words.
var hiddenReasons = map[string]string{
	"white_text":            "white text",
	"background_color":      "text the colour of its background",
	"invisible_render_mode": "invisible text",
	"outside_page":          "text outside the page",
	"tiny_font":             "microscopic text",
	"vanish":                "text formatted as hidden",
}

// summarizeHidden counts the hidden text and names why it was hidden,
// without a word of the text itself.
func summarizeHidden(hidden []parser.HiddenText) *hiddenSummary {
	if len(hidden) == 0 {
		return nil
	}
	h := &hiddenSummary{Runs: len(hidden)}
	for _, t := range hidden {
		h.Chars += utf8.RuneCountInString(t.Text)
		why := hiddenReasons[t.Reason]
		if why == "" {
			why = strings.ReplaceAll(t.Reason, "_", " ")
		}
		if !slices.Contains(h.Reasons, why) {
			h.Reasons = append(h.Reasons, why)
		}
	}
	return h
}

func statusLabel(status string) string {
	switch status {
	case rules.StatusMet:
		return "met"
	case rules.StatusPartial:
		return "partly met"
	case rules.StatusMissing:
		return "missing"
	}
	return status
}

// stylesheet serves the pages' CSS. It holds nothing private, so it needs
// no key.
func (u *ui) stylesheet(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(uiCSS)
}

// favicon serves the pages' icon: a funnel.
func (u *ui) favicon(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	w.Write(uiFavicon)
}

func (u *ui) notFound(w http.ResponseWriter, r *http.Request) {
	u.errorPage(w, r, nil, http.StatusNotFound, "Page not found", "There is no page at this address.")
}

// errorPage is an error as a page, with a way back.
type errorPage struct {
	page
	Status  int
	Message string
}

func (u *ui) errorPage(w http.ResponseWriter, r *http.Request, v *viewer, status int, title, msg string) {
	u.render(w, status, "ui-error", &errorPage{page: page{Title: title, Viewer: v, Version: u.s.Version}, Status: status, Message: msg})
}

// fail shows err as a page, with the status the server gives it.
func (u *ui) fail(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	if errors.Is(err, scoring.ErrNotFound) {
		u.errorPage(w, r, v, http.StatusNotFound, "No such candidate", "There is no candidate with this id; it may have been deleted.")
		return
	}
	status, msg := u.classify(r, err)
	u.errorPage(w, r, v, status, http.StatusText(status), msg)
}

// classify returns the status and a message for an error that is not the
// user's, logging what the message does not say.
func (u *ui) classify(r *http.Request, err error) (int, string) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, "The search was cancelled or ran out of time; please try again."
	}
	u.s.logger().ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, "Something went wrong on the server; it has been logged."
}

// render executes a page template and writes it with status and headers
// that keep the page private, unframed and free of scripts.
func (u *ui) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := uiTemplates.ExecuteTemplate(&b, name, data); err != nil {
		u.s.logger().Error("rendering a page", "template", name, "err", err)
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString("<!doctype html><title>Internal Server Error</title><p>The page could not be shown; the error has been logged.</p>")
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// sessions are the pages' signed-in sessions, held in memory: a session
// id is 32 random bytes, given to the browser in a cookie and kept here only
// as its sha256, mapped to the id and hash of the key that signed in. At
// most max sessions are held; a new one past that evicts the expired and
// then the oldest.
type sessions struct {
	mu  sync.Mutex
	m   map[[sha256.Size]byte]session
	max int
	ttl time.Duration
	now func() time.Time
}

type session struct {
	keyID, keyHash string
	expires        time.Time
}

func newSessions(max int, ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[[sha256.Size]byte]session{}, max: max, ttl: ttl, now: now}
}

// create opens a session for k and returns its id and when it expires.
func (ss *sessions) create(k *Key) (string, time.Time, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("server: session id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	now := ss.now()
	expires := now.Add(ss.ttl)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= ss.max {
		for h, s := range ss.m {
			if !now.Before(s.expires) {
				delete(ss.m, h)
			}
		}
	}
	for len(ss.m) >= ss.max {
		var oldest [sha256.Size]byte
		first := true
		for h, s := range ss.m {
			if first || s.expires.Before(ss.m[oldest].expires) {
				oldest, first = h, false
			}
		}
		delete(ss.m, oldest)
	}
	ss.m[sha256.Sum256([]byte(id))] = session{keyID: k.ID, keyHash: k.Hash, expires: expires}
	return id, expires, nil
}

// get returns the session of an id while it lasts.
func (ss *sessions) get(id string) (session, bool) {
	if id == "" {
		return session{}, false
	}
	h := sha256.Sum256([]byte(id))
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[h]
	if !ok {
		return session{}, false
	}
	if !ss.now().Before(s.expires) {
		delete(ss.m, h)
		return session{}, false
	}
	return s, true
}

func (ss *sessions) delete(id string) {
	h := sha256.Sum256([]byte(id))
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, h)
}

func (ss *sessions) len() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.m)
}
