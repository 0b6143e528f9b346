// Package rules holds job profiles — what a role requires and how each
// requirement is weighed — and evaluates a parsed resume against them, with
// the evidence and the gap for every requirement.
//
// Profiles are YAML (or TOML, JSON) loaded with viper and validated with the
// offending key named; the Chief Security Officer profile is built in (see
// Profile for the schema, Builtin, and profiles/cso.yaml). Matching text is
// asked of a Matcher, which package scoring implements with a bleve index;
// rules itself reads only the resume's structured facts and never its
// contact details (parser.Resume.Contact is read by no rule, no fact and no
// expression).
//
// A Profile is immutable once loaded, and Evaluate, Filter.Match and every
// other method may be called from many goroutines at once.
package rules

import (
	"sift/parser"
)

// Requirement kinds.
const (
	KindDegree        = "degree"
	KindExperience    = "experience"
	KindTerms         = "terms"
	KindCertification = "certification"
	KindExpression    = "expression"
)

// Outcome statuses.
const (
	StatusMet     = "met"
	StatusPartial = "partial"
	StatusMissing = "missing"
)

// A TermQuery asks a Matcher where a term group occurs in one candidate's
// resume text.
type TermQuery struct {
	Group         string               // the group's name, e.g. "HIPAA"
	Aliases       []string             // words or phrases, any of which is a match
	CaseSensitive bool                 // match the aliases' exact capitalisation (acronyms such as "CPP")
	Sections      []parser.SectionKind // sections where a match counts; empty means anywhere (and so does a resume without sections)
}

// Evidence is a span of the resume's text that supports a requirement.
// Start and End are byte offsets into parser.Resume.Text, and Text is
// exactly that span; Context is the line or phrase around it, for showing
// the match highlighted in place.
//
// Package rules only ever reports evidence it has located in the text: a
// structured fact whose line cannot be found (a position the parser gave no
// offset for, say) is explained in Outcome.Detail instead.
type Evidence struct {
	Text    string `json:"text"`    // the matched words: parser.Resume.Text[Start:End]
	Context string `json:"context"` // the text around the match, containing Text
	Term    string `json:"term"`    // the group or fact the evidence is for
	Section string `json:"section"` // the kind of section it sits in
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// A Matcher finds term groups in one candidate's resume text. Package
// scoring implements it with a bleve index; tests may use a plain one.
type Matcher interface {
	Match(q TermQuery) ([]Evidence, error)
}

// An Outcome is how one candidate fares on one requirement.
type Outcome struct {
	ID          string     `json:"id"`
	Requirement string     `json:"requirement"` // the human requirement it implements
	Kind        string     `json:"kind"`
	Status      string     `json:"status"` // StatusMet, StatusPartial or StatusMissing
	Credit      float64    `json:"credit"` // in [0, 1], four decimals
	Weight      float64    `json:"weight"`
	Points      float64    `json:"points"` // 100*Weight*Credit/sum(weights), two decimals
	Knockout    bool       `json:"knockout"`
	Failed      bool       `json:"knockout_failed"` // a knockout requirement that is not satisfied
	Evidence    []Evidence `json:"evidence"`
	Detail      string     `json:"detail"` // how the credit was reached, in a recruiter's words
	Gap         string     `json:"gap"`    // what would change the outcome; "" when met
}

// ProfileRef identifies the exact profile a result was computed with.
type ProfileRef struct {
	ID   string `json:"id"`
	Hash string `json:"hash"` // sha256 of the profile's canonical form
}

// A Result is one candidate scored against one profile. The same resume,
// profile and as-of date always give the same Result.
type Result struct {
	File            string       `json:"file"`
	Candidate       string       `json:"candidate,omitempty"` // an id, when the candidate is stored
	Score           float64      `json:"score"`               // 0-100, one decimal
	Qualified       bool         `json:"qualified"`           // no knockout failed
	Tier            string       `json:"tier"`
	Requirements    []Outcome    `json:"requirements"`
	KnockoutsFailed []string     `json:"knockouts_failed"`
	Profile         ProfileRef   `json:"profile"`
	AsOf            parser.Month `json:"as_of"`
	Version         string       `json:"version"`
}
