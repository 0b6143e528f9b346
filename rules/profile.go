package rules

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"github.com/spf13/viper"

	"sift/parser"
)

// A Profile is a job: what it requires and how each requirement is weighed.
// Profiles are built by Load, Parse, ParseNamed or Builtin, which validate
// them, apply defaults and overrides, and compile their patterns and
// expressions; a Profile is read-only after that and safe for concurrent
// use. Its exported fields show the profile as it is applied (defaults
// filled in, overrides applied); changing them has no effect on evaluation.
//
// # Schema
//
// A profile file (YAML, TOML or JSON; keys are case-insensitive) has:
//
//	id:           profile id: lower-case letters, digits, "-" and "_" (required)
//	title:        the job title shown in reports (default: the id)
//	description:  free text
//	webhook:      an http(s) URL the server posts each new result to (optional)
//	tiers:        ordered list, highest min_score first; a candidate gets the
//	              first tier whose min_score <= score and, for a tier with
//	              qualified: true, who failed no knockout. The last tier must
//	              have min_score 0 and no qualified condition, so that every
//	              candidate gets a tier. Default: strong (70, qualified),
//	              possible (45), weak (20), no (0).
//	  - name: strong
//	    min_score: 70     # 0-100
//	    qualified: true
//	categories:   experience categories used only by expressions (optional;
//	              categories are usually defined inline by an experience
//	              requirement): name, titles, exclude, label as below
//	requirements: the list of requirements (at least one), each with
//	  id:          lower-case letters, digits and "_", starting with a letter;
//	               unique; names the SIFT_WEIGHTS_<ID> / SIFT_KNOCKOUTS_<ID>
//	               environment overrides
//	  requirement: the human requirement it implements, from the job
//	               description: its job-relatedness reason, shown in reports
//	  kind:        degree | experience | terms | certification | expression
//	  weight:      > 0; the score is 100*sum(weight*credit)/sum(weight)
//	  knockout:    true to make the candidate not qualified when it fails
//	  ... and the settings of its kind; a setting of another kind is an error.
//	weights:      map of requirement id to weight, overriding requirements' own
//	knockouts:    map of requirement id to true/false, likewise
//
// Settings by kind (defaults in brackets):
//
//	degree
//	  min_level:           associate | bachelor | master | doctorate (required)
//	  fields:              patterns for fields with full credit [any field]
//	  related_fields:      patterns for fields with related_credit
//	  related_credit:      [0.75]
//	  other_field_credit:  credit for a degree at the level in any other (or
//	                       an unstated) field [0.5]
//	  higher_level_credit: credit for a degree above min_level in any other
//	                       field, when that is more [other_field_credit]
//	  Only completed degrees count (in-progress ones are named in the gap).
//	  The knockout fails when no completed degree reaches min_level; a field
//	  mismatch lowers the credit but does not knock out.
//
//	experience
//	  category:   the category's name, e.g. security_management (required)
//	  titles:     title patterns defining the category, here or once in
//	              another requirement or in categories:
//	  exclude:    title patterns that disqualify a title matching titles
//	  label:      how the gap names a role of the category
//	              ["<category, underscores as spaces> role"]
//	  min_months: months needed (required, > 0); the knockout fails below it
//	  curve:      linear (credit months/min_months, capped at 1) | step
//	              (0 below min_months, then 1) [linear]
//	  signals:    optional evidence of the role's substance, found only in
//	              the text of the positions of the category:
//	    share:          the part of the credit that comes from signals [0.5]
//	    full_credit_at: distinct signal groups for full signal credit [all]
//	    noun:           how the gap names the groups ["signals"]
//	    groups:         term groups, as for terms
//	  Months are the union of the matching positions' periods, so that
//	  overlapping positions count once; a current position runs to the
//	  resume's as-of month.
//
//	terms
//	  groups:         list of term groups (required), each with
//	    name:           the group's name, unique in the profile (required)
//	    aliases:        words or phrases, any of which is a match [the name]
//	    case_sensitive: match aliases with their exact capitalisation [false]
//	    acronyms:       further aliases always matched case-sensitively, so
//	                    that "CPP" the certification is not "cpp"
//	  full_credit_at: distinct groups matched for full credit; credit grows
//	                  linearly below it [all groups]
//	  sections:       section kinds where matches count [anywhere]
//	  skip_sections:  section kinds where they do not (instead of sections)
//	  noun:           how the gap names the groups, plural ["terms"]
//	  max_evidence:   evidence spans kept per group [3]
//	  The knockout fails when no group matches.
//
//	certification
//	  certifications: list (required) of
//	    name:    the certification's normalised name, e.g. CISSP (required)
//	    aliases: other names it is listed under
//	    credit:  in (0, 1] [1]
//	  The credit is the best single certification found, not a sum: one
//	  strong certification is what such a requirement asks for, and a sum
//	  would reward long lists. The knockout fails when none is found.
//
//	expression
//	  expression: a CEL expression over the resume's facts (see Filter)
//	              returning bool (met or missing) or double (the credit,
//	              clamped to [0, 1]); compiled and type-checked at load
//	  gap:        the gap shown when it is not met ["not satisfied: <expr>"]
//	  The knockout fails when it returns false or 0.
//
// Patterns (fields, titles, exclude) are case-insensitive regular
// expressions (RE2 syntax) that match whole words: "security manager"
// matches "Senior Security Manager" but not "Cybersecurity Managers".
//
// # Overrides
//
// A recruiter can change a weight or a knockout without copying the file:
// the top-level weights: and knockouts: maps override the requirements' own
// settings, and the environment variables SIFT_WEIGHTS_<ID> and
// SIFT_KNOCKOUTS_<ID> (ID in upper case: SIFT_WEIGHTS_LAWS=20,
// SIFT_KNOCKOUTS_DEGREE=false) override both, for every profile loaded that
// has a requirement of that id. Applied overrides are listed in Overrides,
// and they change the profile's Hash.
type Profile struct {
	ID          string `mapstructure:"id" json:"id"`
	Title       string `mapstructure:"title" json:"title"`
	Description string `mapstructure:"description" json:"description,omitempty"`
	// Webhook, when set, is an http(s) URL that receives every new result
	// of this profile from the server (signed; see package server).
	Webhook      string        `mapstructure:"webhook" json:"webhook,omitempty"`
	Tiers        []Tier        `mapstructure:"tiers" json:"tiers"`
	Categories   []Category    `mapstructure:"categories" json:"categories,omitempty"`
	Requirements []Requirement `mapstructure:"requirements" json:"requirements"`

	// Source names where the profile came from: a file name, or
	// "profiles/<id>.yaml" for a built-in one.
	Source string `mapstructure:"-" json:"-"`
	// Overrides lists the weights and knockouts changed by the weights: and
	// knockouts: maps and the environment, in requirement order.
	Overrides []Override `mapstructure:"-" json:"-"`

	hash       string
	weightSum  float64
	categories map[string]*category
	groups     map[string]*termGroup // every term group by name, for has_term
	reqs       []*compiledReq
	env        *cel.Env // facts, months() and has_term()
}

// A Tier is a band of results, such as "strong".
type Tier struct {
	Name      string  `mapstructure:"name" json:"name"`
	MinScore  float64 `mapstructure:"min_score" json:"min_score"`
	Qualified bool    `mapstructure:"qualified" json:"qualified"` // the tier requires that no knockout failed
}

// A Category is a kind of role, defined by title patterns, whose months
// experience requirements and months() count.
type Category struct {
	Name    string   `mapstructure:"name" json:"name"`
	Titles  []string `mapstructure:"titles" json:"titles"`
	Exclude []string `mapstructure:"exclude" json:"exclude,omitempty"`
	Label   string   `mapstructure:"label" json:"label"`
}

// A Requirement is one requirement of the job. Which settings apply depends
// on Kind; see Profile for the schema.
type Requirement struct {
	ID          string  `mapstructure:"id" json:"id"`
	Requirement string  `mapstructure:"requirement" json:"requirement"`
	Kind        string  `mapstructure:"kind" json:"kind"`
	Weight      float64 `mapstructure:"weight" json:"weight"`
	Knockout    bool    `mapstructure:"knockout" json:"knockout"`

	// degree
	MinLevel          string   `mapstructure:"min_level" json:"min_level,omitempty"`
	Fields            []string `mapstructure:"fields" json:"fields,omitempty"`
	RelatedFields     []string `mapstructure:"related_fields" json:"related_fields,omitempty"`
	RelatedCredit     float64  `mapstructure:"related_credit" json:"related_credit,omitempty"`
	OtherFieldCredit  float64  `mapstructure:"other_field_credit" json:"other_field_credit,omitempty"`
	HigherLevelCredit float64  `mapstructure:"higher_level_credit" json:"higher_level_credit,omitempty"`

	// experience (Titles, Exclude and Label define the category inline; after
	// loading they are moved into Profile.Categories)
	Category  string   `mapstructure:"category" json:"category,omitempty"`
	Titles    []string `mapstructure:"titles" json:"titles,omitempty"`
	Exclude   []string `mapstructure:"exclude" json:"exclude,omitempty"`
	Label     string   `mapstructure:"label" json:"label,omitempty"`
	MinMonths int      `mapstructure:"min_months" json:"min_months,omitempty"`
	Curve     string   `mapstructure:"curve" json:"curve,omitempty"`
	Signals   *Signals `mapstructure:"signals" json:"signals,omitempty"`

	// terms
	Groups       []TermGroup `mapstructure:"groups" json:"groups,omitempty"`
	FullCreditAt int         `mapstructure:"full_credit_at" json:"full_credit_at,omitempty"`
	Sections     []string    `mapstructure:"sections" json:"sections,omitempty"`
	SkipSections []string    `mapstructure:"skip_sections" json:"skip_sections,omitempty"`
	Noun         string      `mapstructure:"noun" json:"noun,omitempty"`
	MaxEvidence  int         `mapstructure:"max_evidence" json:"max_evidence,omitempty"`

	// certification
	Certifications []Certification `mapstructure:"certifications" json:"certifications,omitempty"`

	// expression
	Expression string `mapstructure:"expression" json:"expression,omitempty"`
	Gap        string `mapstructure:"gap" json:"gap,omitempty"`
}

// Signals are term groups that add to an experience requirement's credit
// when they occur in the text of the positions it counts.
type Signals struct {
	Share        float64     `mapstructure:"share" json:"share"`
	FullCreditAt int         `mapstructure:"full_credit_at" json:"full_credit_at"`
	Noun         string      `mapstructure:"noun" json:"noun"`
	Groups       []TermGroup `mapstructure:"groups" json:"groups"`
}

// A TermGroup is a named set of words or phrases that mean one thing.
type TermGroup struct {
	Name          string   `mapstructure:"name" json:"name"`
	Aliases       []string `mapstructure:"aliases" json:"aliases,omitempty"`
	CaseSensitive bool     `mapstructure:"case_sensitive" json:"case_sensitive,omitempty"`
	Acronyms      []string `mapstructure:"acronyms" json:"acronyms,omitempty"`
}

// A Certification is one accepted certification and the credit it gives.
type Certification struct {
	Name    string   `mapstructure:"name" json:"name"`
	Aliases []string `mapstructure:"aliases" json:"aliases,omitempty"`
	Credit  float64  `mapstructure:"credit" json:"credit"`
}

// An Override is a weight or knockout changed from the requirement's own
// setting.
type Override struct {
	Key    string // "weights.<id>" or "knockouts.<id>"
	Value  string // the value applied
	Source string // "file" or the environment variable's name
}

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrInvalidProfile is matched by every validation problem.
	ErrInvalidProfile = errors.New("invalid profile")
	// ErrUnknownProfile is returned by Builtin for an id it does not know.
	ErrUnknownProfile = errors.New("unknown profile")
	// ErrUnknownFormat is returned for a file format other than YAML, TOML
	// or JSON.
	ErrUnknownFormat = errors.New("unknown profile format")
)

// A FieldError is one validation problem: which key of which file, and on
// which line when the file is YAML. Load and Parse return all of them,
// joined with errors.Join. Each matches ErrInvalidProfile.
type FieldError struct {
	File string // the file or source name
	Key  string // the key path, e.g. "requirements[2].weight"; "" for the file as a whole
	Line int    // 1-based line in the file; 0 when unknown
	Msg  string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Key != "" {
		b.WriteString(": ")
		b.WriteString(e.Key)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Is reports whether target is ErrInvalidProfile.
func (e *FieldError) Is(target error) bool { return target == ErrInvalidProfile }

// maxProfileBytes bounds a profile file; real ones are a few kilobytes.
const maxProfileBytes = 4 << 20

// Load reads, validates and compiles the profile in the file at path. The
// format comes from the extension: .yaml, .yml, .toml or .json.
func Load(path string) (*Profile, error) {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if !validFormat(format) {
		return nil, fmt.Errorf("%s: %w %q (want .yaml, .yml, .toml or .json)", path, ErrUnknownFormat, filepath.Ext(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxProfileBytes+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if buf.Len() > maxProfileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxProfileBytes)
	}
	return ParseNamed(path, buf.Bytes(), format)
}

// Parse validates and compiles a profile from data in the given format
// ("yaml", "yml", "toml" or "json"). Problems name the source "profile".
func Parse(data []byte, format string) (*Profile, error) {
	return ParseNamed("profile", data, format)
}

// ParseNamed is Parse with the name problems are reported under, such as
// the file name the data came from.
func ParseNamed(name string, data []byte, format string) (*Profile, error) {
	format = strings.ToLower(strings.TrimPrefix(format, "."))
	if !validFormat(format) {
		return nil, fmt.Errorf("%s: %w %q (want yaml, yml, toml or json)", name, ErrUnknownFormat, format)
	}
	if len(data) > maxProfileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxProfileBytes)
	}
	v := viper.New()
	v.SetConfigType(format)
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, &FieldError{File: name, Msg: strings.TrimPrefix(err.Error(), "While parsing config: ")}
	}
	l := newLoader(name, data, format)
	p := l.load(v.AllSettings())
	if err := l.err(); err != nil {
		return nil, err
	}
	p.Source = name
	return p, nil
}

func validFormat(f string) bool {
	switch f {
	case "yaml", "yml", "toml", "json":
		return true
	}
	return false
}

//go:embed profiles/*.yaml
var builtinFS embed.FS

// Builtins returns the ids of the built-in profiles, sorted.
func Builtins() []string {
	entries, _ := fs.ReadDir(builtinFS, "profiles")
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(ids)
	return ids
}

// Builtin returns the built-in profile with the given id, such as "cso",
// with the environment's overrides applied. It parses the profile on every
// call, so that the environment at the time applies; keep the result
// rather than calling it per resume.
func Builtin(id string) (*Profile, error) {
	name := "profiles/" + id + ".yaml"
	if !slices.Contains(Builtins(), id) {
		return nil, fmt.Errorf("rules.Builtin: %w %q (built in: %s)", ErrUnknownProfile, id, strings.Join(Builtins(), ", "))
	}
	data, err := builtinFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return ParseNamed(name, data, "yaml")
}

// BuiltinSource returns the YAML file of a built-in profile as it is
// embedded, comments included, for a user to copy and edit.
func BuiltinSource(id string) ([]byte, error) {
	if !slices.Contains(Builtins(), id) {
		return nil, fmt.Errorf("rules.BuiltinSource: %w %q (built in: %s)", ErrUnknownProfile, id, strings.Join(Builtins(), ", "))
	}
	return builtinFS.ReadFile("profiles/" + id + ".yaml")
}

// Hash returns the hex sha256 of the profile's canonical form: JSON with
// sorted keys of the profile as applied, after defaults and overrides.
// Reformatting a file does not change it; any change to what the profile
// does, or says in reports, does.
func (p *Profile) Hash() string { return p.hash }

// canonical returns the canonical JSON form of p.
func (p *Profile) canonical() []byte {
	b, err := json.Marshal(struct {
		Schema string `json:"schema"`
		*Profile
	}{"sift-profile/1", p})
	if err != nil {
		panic("rules: canonical form: " + err.Error()) // plain data: cannot fail
	}
	// Re-encode through a generic value: encoding/json sorts map keys, so
	// the result does not depend on the order of struct fields either.
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		panic("rules: canonical form: " + err.Error())
	}
	b, _ = json.Marshal(v)
	return b
}

func (p *Profile) computeHash() {
	sum := sha256.Sum256(p.canonical())
	p.hash = hex.EncodeToString(sum[:])
}

// A category is a compiled Category.
type category struct {
	Category
	include *regexp.Regexp // nil: none
	exclude *regexp.Regexp // nil: none
}

// matches reports whether a position title is in the category.
func (c *category) matches(title string) bool {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return false
	}
	return matches(c.include, title) && !matches(c.exclude, title)
}

// matches reports whether re is not nil and matches s.
func matches(re *regexp.Regexp, s string) bool { return re != nil && re.MatchString(s) }

// A termGroup is a compiled TermGroup: one or two queries (the group's
// aliases, and its acronyms matched case-sensitively).
type termGroup struct {
	name    string
	queries []TermQuery
}

// A compiledReq is a Requirement ready to evaluate.
type compiledReq struct {
	*Requirement
	fields, related *regexp.Regexp // degree; nil: none
	minRank         int            // degree
	cat             *category      // experience
	signals         []*termGroup   // experience
	groups          []*termGroup   // terms
	sections        []parser.SectionKind
	certs           []certMatcher // certification
	prg             cel.Program   // expression
	boolOut         bool          // expression returns bool
}

// A certMatcher recognises one accepted certification in
// parser.Resume.Certifications and in the text.
type certMatcher struct {
	Certification
	keys  []string // normalised name and aliases
	names []string // name and aliases as written, for locating in the text
}
