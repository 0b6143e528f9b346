package rules

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"

	"sift/parser"
)

// fileProfile is the shape of a profile file: a Profile and its override
// maps.
type fileProfile struct {
	Profile   `mapstructure:",squash"`
	Weights   map[string]float64 `mapstructure:"weights"`
	Knockouts map[string]bool    `mapstructure:"knockouts"`
}

// Settings by kind; the common keys are allowed for every kind.
var (
	commonKeys = []string{"id", "requirement", "kind", "weight", "knockout"}
	kindKeys   = map[string][]string{
		KindDegree:        {"min_level", "fields", "related_fields", "related_credit", "other_field_credit", "higher_level_credit"},
		KindExperience:    {"category", "titles", "exclude", "label", "min_months", "curve", "signals"},
		KindTerms:         {"groups", "full_credit_at", "sections", "skip_sections", "noun", "max_evidence"},
		KindCertification: {"certifications"},
		KindExpression:    {"expression", "gap"},
	}
	kinds = []string{KindDegree, KindExperience, KindTerms, KindCertification, KindExpression}

	sectionKinds = []parser.SectionKind{
		parser.KindHeader, parser.KindSummary, parser.KindExperience, parser.KindEducation,
		parser.KindCertifications, parser.KindSkills, parser.KindOther,
	}
	levels = []string{parser.LevelAssociate, parser.LevelBachelor, parser.LevelMaster, parser.LevelDoctorate}

	profileIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	idPattern        = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// defaultTiers apply when a profile lists none.
var defaultTiers = []Tier{
	{Name: "strong", MinScore: 70, Qualified: true},
	{Name: "possible", MinScore: 45},
	{Name: "weak", MinScore: 20},
	{Name: "no", MinScore: 0},
}

// Defaults of settings.
const (
	defaultRelatedCredit    = 0.75
	defaultOtherFieldCredit = 0.5
	defaultSignalShare      = 0.5
	defaultMaxEvidence      = 3
	curveLinear             = "linear"
	curveStep               = "step"
)

// A loader turns the settings viper read into a Profile, collecting every
// problem on the way.
type loader struct {
	name  string
	root  *yaml.Node // the YAML document, for line numbers; nil for TOML and JSON
	probs []*FieldError
}

func newLoader(name string, data []byte, format string) *loader {
	l := &loader{name: name}
	if format == "yaml" || format == "yml" {
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
			l.root = doc.Content[0]
		}
	}
	return l
}

// add records a problem at a key path; only the first problem at a key is
// kept, so that a value of the wrong type is not also reported as missing.
func (l *loader) add(key, format string, args ...any) {
	for _, p := range l.probs {
		if key != "" && p.Key == key {
			return
		}
	}
	l.probs = append(l.probs, &FieldError{File: l.name, Key: key, Line: l.line(key), Msg: fmt.Sprintf(format, args...)})
}

// addEnv records a problem with an environment variable.
func (l *loader) addEnv(env, format string, args ...any) {
	l.probs = append(l.probs, &FieldError{File: l.name, Key: "env " + env, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) err() error {
	if len(l.probs) == 0 {
		return nil
	}
	errs := make([]error, len(l.probs))
	for i, p := range l.probs {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// line returns the line of the YAML node at a key path such as
// "requirements[2].weight", or of its deepest existing ancestor; 0 when the
// source is not YAML.
func (l *loader) line(key string) int {
	n := l.root
	if n == nil || key == "" {
		return 0
	}
	line := 0 // a key missing at the top level has no line of its own
	for _, seg := range splitKey(key) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		var next *yaml.Node
		switch {
		case seg.index >= 0 && n.Kind == yaml.SequenceNode && seg.index < len(n.Content):
			next = n.Content[seg.index]
		case seg.index < 0 && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if strings.EqualFold(n.Content[i].Value, seg.key) {
					line = n.Content[i].Line
					next = n.Content[i+1]
					break
				}
			}
		}
		if next == nil {
			return line
		}
		n = next
		if seg.index >= 0 {
			line = n.Line
		}
	}
	return line
}

type keySeg struct {
	key   string
	index int // -1 for a map key
}

func splitKey(key string) []keySeg {
	var segs []keySeg
	for _, part := range strings.Split(key, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			segs = append(segs, keySeg{key: name, index: -1})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if err != nil {
				break
			}
			segs = append(segs, keySeg{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return segs
}

// load builds the profile from the settings' raw tree.
func (l *loader) load(raw map[string]any) *Profile {
	l.checkShape(raw, reflect.TypeFor[fileProfile](), "")
	var fp fileProfile
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:      &fp,
		ErrorUnused: true, // checkShape reported and removed unknown keys; this is the backstop
		DecodeHook:  integralHook,
	})
	if err != nil {
		panic(err) // a static configuration
	}
	if err := dec.Decode(raw); err != nil {
		for _, e := range flatten(err) {
			var de *mapstructure.DecodeError
			if errors.As(e, &de) {
				l.add(de.Name(), "%v", de.Unwrap())
			} else {
				l.add("", "%v", e)
			}
		}
	}
	p := &fp.Profile
	l.checkProfile(p, raw)
	l.overrides(p, &fp, raw)
	if len(l.probs) > 0 {
		return p
	}
	l.compile(p)
	if len(l.probs) > 0 {
		return p
	}
	for _, r := range p.Requirements {
		p.weightSum += r.Weight
	}
	p.computeHash()
	return p
}

// integralHook refuses to truncate a fractional number into an int field.
func integralHook(from, to reflect.Type, data any) (any, error) {
	if to.Kind() == reflect.Int && (from.Kind() == reflect.Float64 || from.Kind() == reflect.Float32) {
		f := reflect.ValueOf(data).Float()
		if f != math.Trunc(f) {
			return nil, fmt.Errorf("must be a whole number, got %v", f)
		}
	}
	return data, nil
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// checkShape reports unknown keys and values of the wrong type in raw,
// against the type t decodes it into, and removes them so that decoding
// the rest succeeds and every problem is reported once. It reports whether
// raw itself has the right shape.
func (l *loader) checkShape(raw any, t reflect.Type, path string) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if raw == nil {
		switch t.Kind() {
		case reflect.Struct, reflect.Slice, reflect.Map:
			return true // absent, as if not given
		}
		l.add(path, "has no value; want %s", describeType(t))
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			l.add(path, "must be %s, got %s", describeType(t), describeValue(raw))
			return false
		}
		fields := structFields(t)
		for _, k := range sortedKeys(m) {
			sub := joinKey(path, k)
			f, ok := fields[strings.ToLower(k)]
			if !ok {
				l.add(sub, "unknown key%s", suggest(k, fields))
				delete(m, k)
				continue
			}
			if !l.checkShape(m[k], f.Type, sub) {
				delete(m, k)
			}
		}
		return true
	case reflect.Slice:
		s, ok := raw.([]any)
		if !ok {
			l.add(path, "must be %s, got %s", describeType(t), describeValue(raw))
			return false
		}
		for i := range s {
			if !l.checkShape(s[i], t.Elem(), fmt.Sprintf("%s[%d]", path, i)) {
				s[i] = nil
			}
		}
		return true
	case reflect.Map:
		m, ok := raw.(map[string]any)
		if !ok {
			l.add(path, "must be %s, got %s", describeType(t), describeValue(raw))
			return false
		}
		for _, k := range sortedKeys(m) {
			if !l.checkShape(m[k], t.Elem(), joinKey(path, k)) {
				delete(m, k)
			}
		}
		return true
	case reflect.String:
		if _, ok := raw.(string); ok {
			return true
		}
	case reflect.Bool:
		if _, ok := raw.(bool); ok {
			return true
		}
	case reflect.Float64:
		if _, ok := number(raw); ok {
			return true
		}
	case reflect.Int:
		if f, ok := number(raw); ok {
			if f == math.Trunc(f) {
				return true
			}
			l.add(path, "must be a whole number, got %v", f)
			return false
		}
	}
	l.add(path, "must be %s, got %s", describeType(t), describeValue(raw))
	return false
}

func joinKey(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// structFields maps the lower-cased mapstructure names of t's fields, with
// squashed embedded structs inlined, to the fields.
func structFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("mapstructure")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && strings.Contains(opts, "squash") {
			for k, v := range structFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[strings.ToLower(name)] = f
	}
	return out
}

// suggest returns " (did you mean x?)" for a known key close to k.
func suggest(k string, fields map[string]reflect.StructField) string {
	best, bestD := "", 3
	for _, name := range sortedKeys(fields) {
		if d := editDistance(strings.ToLower(k), name); d < bestD {
			best, bestD = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func number(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float64:
		return "a number"
	case reflect.Int:
		return "a whole number"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping of keys to values"
	}
	return t.String()
}

func describeValue(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("string %q", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	if f, ok := number(v); ok {
		return "number " + strconv.FormatFloat(f, 'g', -1, 64)
	}
	return fmt.Sprintf("%T", v)
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// rawAt returns the raw mapping at index i of the list at key in m.
func rawAt(m map[string]any, key string, i int) map[string]any {
	s, _ := m[key].([]any)
	if i < len(s) {
		r, _ := s[i].(map[string]any)
		return r
	}
	return nil
}

func has(m map[string]any, key string) bool {
	_, ok := m[key]
	return ok
}

// checkProfile validates the decoded profile and fills in defaults. raw
// tells which keys were given.
func (l *loader) checkProfile(p *Profile, raw map[string]any) {
	switch {
	case p.ID == "":
		l.add("id", "missing; give the profile an id such as %q", "cso")
	case !profileIDPattern.MatchString(p.ID):
		l.add("id", "must be lower-case letters, digits, '-' and '_', got %q", p.ID)
	}
	if p.Title == "" {
		p.Title = p.ID
	}
	if p.Webhook != "" {
		if u, err := url.Parse(p.Webhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			l.add("webhook", "must be an http or https URL, got %q", p.Webhook)
		}
	}
	if !has(raw, "tiers") {
		p.Tiers = slices.Clone(defaultTiers)
	}
	l.checkTiers(p.Tiers)

	if len(p.Requirements) == 0 {
		l.add("requirements", "missing; a profile needs at least one requirement")
	}
	ids := map[string]int{}
	for i := range p.Requirements {
		l.checkRequirement(p, i, rawAt(raw, "requirements", i), ids)
	}
	l.checkCategories(p, raw)
}

func (l *loader) checkTiers(tiers []Tier) {
	if len(tiers) == 0 {
		l.add("tiers", "empty; list at least one tier, or leave tiers out for the defaults")
		return
	}
	names := map[string]bool{}
	for i, t := range tiers {
		key := fmt.Sprintf("tiers[%d]", i)
		switch {
		case t.Name == "":
			l.add(key+".name", "missing")
		case names[t.Name]:
			l.add(key+".name", "duplicate tier %q", t.Name)
		}
		names[t.Name] = true
		if t.MinScore < 0 || t.MinScore > 100 || math.IsNaN(t.MinScore) {
			l.add(key+".min_score", "must be between 0 and 100, got %s", fmtNum(t.MinScore))
		} else if i > 0 && t.MinScore > tiers[i-1].MinScore {
			l.add(key+".min_score", "tiers out of order: %s is above the previous tier's %s; list tiers highest min_score first",
				fmtNum(t.MinScore), fmtNum(tiers[i-1].MinScore))
		}
	}
	last := tiers[len(tiers)-1]
	if last.MinScore != 0 || last.Qualified {
		l.add(fmt.Sprintf("tiers[%d]", len(tiers)-1), "the last tier must have min_score 0 and no qualified condition, so that every candidate gets a tier")
	}
}

// checkRequirement validates requirement i and fills in its defaults.
func (l *loader) checkRequirement(p *Profile, i int, raw map[string]any, ids map[string]int) {
	r := &p.Requirements[i]
	key := fmt.Sprintf("requirements[%d]", i)
	switch {
	case r.ID == "":
		l.add(key+".id", "missing")
	case !idPattern.MatchString(r.ID):
		l.add(key+".id", "must be lower-case letters, digits and '_', starting with a letter, got %q", r.ID)
	default:
		if j, dup := ids[r.ID]; dup {
			l.add(key+".id", "duplicate id %q (also requirements[%d])", r.ID, j)
		} else {
			ids[r.ID] = i
		}
	}
	if strings.TrimSpace(r.Requirement) == "" {
		l.add(key+".requirement", "missing; say which requirement of the job this implements (it is shown in reports)")
	}
	if has(raw, "weight") && !(r.Weight > 0) {
		l.add(key+".weight", "must be > 0, got %s", fmtNum(r.Weight))
	}
	if r.Kind == "" {
		l.add(key+".kind", "missing; want one of %s", strings.Join(kinds, ", "))
		return
	}
	own, ok := kindKeys[r.Kind]
	if !ok {
		l.add(key+".kind", "unknown kind %q; want one of %s", r.Kind, strings.Join(kinds, ", "))
		return
	}
	for _, k := range sortedKeys(raw) {
		if slices.Contains(commonKeys, k) || slices.Contains(own, k) {
			continue
		}
		for _, other := range kinds {
			if slices.Contains(kindKeys[other], k) {
				l.add(key+"."+k, "is a setting of kind %s, not of %s (settings of %s: %s)", other, r.Kind, r.Kind, strings.Join(own, ", "))
			}
		}
	}
	switch r.Kind {
	case KindDegree:
		l.checkDegree(r, key, raw)
	case KindExperience:
		l.checkExperience(r, key, raw)
	case KindTerms:
		l.checkTerms(r, key, raw)
	case KindCertification:
		l.checkCertification(r, key, raw)
	case KindExpression:
		if strings.TrimSpace(r.Expression) == "" {
			l.add(key+".expression", "missing; give a CEL expression returning bool or double")
		}
	}
}

func (l *loader) checkCredit(key string, v float64) {
	if !(v >= 0 && v <= 1) {
		l.add(key, "must be between 0 and 1, got %s", fmtNum(v))
	}
}

func (l *loader) checkDegree(r *Requirement, key string, raw map[string]any) {
	switch {
	case r.MinLevel == "":
		l.add(key+".min_level", "missing; want one of %s", strings.Join(levels, ", "))
	case !slices.Contains(levels, r.MinLevel):
		l.add(key+".min_level", "unknown degree level %q; want one of %s", r.MinLevel, strings.Join(levels, ", "))
	}
	if !has(raw, "related_credit") {
		r.RelatedCredit = defaultRelatedCredit
	}
	if !has(raw, "other_field_credit") {
		r.OtherFieldCredit = defaultOtherFieldCredit
	}
	if !has(raw, "higher_level_credit") {
		r.HigherLevelCredit = r.OtherFieldCredit
	}
	l.checkCredit(key+".related_credit", r.RelatedCredit)
	l.checkCredit(key+".other_field_credit", r.OtherFieldCredit)
	l.checkCredit(key+".higher_level_credit", r.HigherLevelCredit)
	l.checkPatterns(key+".fields", r.Fields)
	l.checkPatterns(key+".related_fields", r.RelatedFields)
}

func (l *loader) checkExperience(r *Requirement, key string, raw map[string]any) {
	switch {
	case r.Category == "":
		l.add(key+".category", "missing; name the kind of role, e.g. security_management")
	case !idPattern.MatchString(r.Category):
		l.add(key+".category", "must be lower-case letters, digits and '_', starting with a letter, got %q", r.Category)
	}
	if len(r.Titles) == 0 && (len(r.Exclude) > 0 || r.Label != "") {
		l.add(key+".titles", "missing: exclude and label belong to a category's definition, which needs titles")
	}
	l.checkPatterns(key+".titles", r.Titles)
	l.checkPatterns(key+".exclude", r.Exclude)
	if !(r.MinMonths > 0) {
		if has(raw, "min_months") {
			l.add(key+".min_months", "must be > 0, got %d", r.MinMonths)
		} else {
			l.add(key+".min_months", "missing; give the months needed, e.g. 36")
		}
	}
	switch r.Curve {
	case "":
		r.Curve = curveLinear
	case curveLinear, curveStep:
	default:
		l.add(key+".curve", "unknown curve %q; want linear or step", r.Curve)
	}
	if s := r.Signals; s != nil {
		sraw, _ := raw["signals"].(map[string]any)
		if !has(sraw, "share") {
			s.Share = defaultSignalShare
		}
		l.checkCredit(key+".signals.share", s.Share)
		if s.Noun == "" {
			s.Noun = "signals"
		}
		l.checkGroups(s.Groups, key+".signals.groups")
		s.FullCreditAt = l.checkFullCredit(key+".signals.full_credit_at", has(sraw, "full_credit_at"), s.FullCreditAt, len(s.Groups))
	}
}

func (l *loader) checkTerms(r *Requirement, key string, raw map[string]any) {
	l.checkGroups(r.Groups, key+".groups")
	r.FullCreditAt = l.checkFullCredit(key+".full_credit_at", has(raw, "full_credit_at"), r.FullCreditAt, len(r.Groups))
	if len(r.Sections) > 0 && len(r.SkipSections) > 0 {
		l.add(key+".skip_sections", "give sections or skip_sections, not both")
	}
	for j, s := range r.Sections {
		l.checkSection(fmt.Sprintf("%s.sections[%d]", key, j), s)
	}
	for j, s := range r.SkipSections {
		l.checkSection(fmt.Sprintf("%s.skip_sections[%d]", key, j), s)
	}
	if r.Noun == "" {
		r.Noun = "terms"
	}
	switch {
	case !has(raw, "max_evidence"):
		r.MaxEvidence = defaultMaxEvidence
	case r.MaxEvidence < 1:
		l.add(key+".max_evidence", "must be >= 1, got %d", r.MaxEvidence)
	}
}

func (l *loader) checkSection(key, s string) {
	if !slices.Contains(sectionKinds, parser.SectionKind(s)) {
		names := make([]string, len(sectionKinds))
		for i, k := range sectionKinds {
			names[i] = string(k)
		}
		l.add(key, "unknown section kind %q; want one of %s", s, strings.Join(names, ", "))
	}
}

// checkFullCredit validates a full_credit_at against the number of groups
// and returns it with its default (all groups) applied.
func (l *loader) checkFullCredit(key string, given bool, n, groups int) int {
	if !given {
		return groups
	}
	if groups > 0 && (n < 1 || n > groups) {
		l.add(key, "must be between 1 and the number of groups (%d), got %d", groups, n)
	}
	return n
}

func (l *loader) checkGroups(groups []TermGroup, key string) {
	if len(groups) == 0 {
		l.add(key, "missing; list at least one term group")
	}
	for j := range groups {
		g := &groups[j]
		gk := fmt.Sprintf("%s[%d]", key, j)
		if strings.TrimSpace(g.Name) == "" {
			l.add(gk+".name", "missing")
		}
		for a, s := range g.Aliases {
			if strings.TrimSpace(s) == "" {
				l.add(fmt.Sprintf("%s.aliases[%d]", gk, a), "empty alias")
			}
		}
		for a, s := range g.Acronyms {
			if strings.TrimSpace(s) == "" {
				l.add(fmt.Sprintf("%s.acronyms[%d]", gk, a), "empty acronym")
			}
		}
		if len(g.Aliases) == 0 && len(g.Acronyms) == 0 {
			g.Aliases = []string{g.Name}
		}
	}
}

func (l *loader) checkCertification(r *Requirement, key string, raw map[string]any) {
	if len(r.Certifications) == 0 {
		l.add(key+".certifications", "missing; list the accepted certifications")
	}
	seen := map[string]int{}
	for j := range r.Certifications {
		c := &r.Certifications[j]
		ck := fmt.Sprintf("%s.certifications[%d]", key, j)
		if normCert(c.Name) == "" {
			l.add(ck+".name", "missing")
		}
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			k := normCert(n)
			if k == "" {
				continue
			}
			if prev, dup := seen[k]; dup && prev != j {
				l.add(ck, "%q is also listed at %s.certifications[%d]", n, key, prev)
			}
			seen[k] = j
		}
		if !has(rawAt(raw, "certifications", j), "credit") {
			c.Credit = 1
		} else if !(c.Credit > 0 && c.Credit <= 1) {
			l.add(ck+".credit", "must be > 0 and <= 1, got %s", fmtNum(c.Credit))
		}
	}
}

// checkPatterns reports patterns that are not valid regular expressions.
func (l *loader) checkPatterns(key string, pats []string) {
	for j, pat := range pats {
		if err := checkPattern(pat); err != nil {
			l.add(fmt.Sprintf("%s[%d]", key, j), "%v", err)
		}
	}
}

func checkPattern(pat string) error {
	if strings.TrimSpace(pat) == "" {
		return errors.New("empty pattern")
	}
	if _, err := regexp.Compile(pat); err != nil {
		return fmt.Errorf("bad pattern %q: %v", pat, err)
	}
	return nil
}

// compilePatterns compiles a list of title or field patterns into one
// regular expression that matches when any of them does: case-insensitive,
// and on whole words only. It returns nil for no patterns. The patterns
// must have passed checkPattern.
func compilePatterns(pats []string) *regexp.Regexp {
	if len(pats) == 0 {
		return nil
	}
	alts := make([]string, len(pats))
	for i, p := range pats {
		alts[i] = "(?:" + p + ")"
	}
	// One regexp for the list: the Unicode classes of the word boundaries
	// are what costs most to compile.
	re, err := regexp.Compile(`(?i)(?:^|[^\pL\pN])(?:` + strings.Join(alts, "|") + `)(?:[^\pL\pN]|$)`)
	if err != nil {
		panic("rules: patterns validated but do not compile: " + err.Error())
	}
	return re
}

// checkCategories checks that each category is defined exactly once, at
// the top level or inline in an experience requirement, and that every
// experience requirement's category is defined. Inline definitions are
// moved into p.Categories.
func (l *loader) checkCategories(p *Profile, raw map[string]any) {
	where := map[string]string{}
	for i := range p.Categories {
		c := &p.Categories[i]
		key := fmt.Sprintf("categories[%d]", i)
		switch {
		case c.Name == "":
			l.add(key+".name", "missing")
		case !idPattern.MatchString(c.Name):
			l.add(key+".name", "must be lower-case letters, digits and '_', starting with a letter, got %q", c.Name)
		case where[c.Name] != "":
			l.add(key+".name", "category %q is already defined at %s", c.Name, where[c.Name])
		default:
			where[c.Name] = key
		}
		if len(c.Titles) == 0 {
			l.add(key+".titles", "missing; list the title patterns of the category")
		}
		l.checkPatterns(key+".titles", c.Titles)
		l.checkPatterns(key+".exclude", c.Exclude)
	}
	for i := range p.Requirements {
		r := &p.Requirements[i]
		if r.Kind != KindExperience || len(r.Titles) == 0 || r.Category == "" {
			continue
		}
		key := fmt.Sprintf("requirements[%d]", i)
		if prev := where[r.Category]; prev != "" {
			l.add(key+".titles", "category %q is already defined at %s; define it once and refer to it by name", r.Category, prev)
			continue
		}
		where[r.Category] = key
		p.Categories = append(p.Categories, Category{Name: r.Category, Titles: r.Titles, Exclude: r.Exclude, Label: r.Label})
		r.Titles, r.Exclude, r.Label = nil, nil, ""
	}
	for i, r := range p.Requirements {
		if r.Kind == KindExperience && r.Category != "" && where[r.Category] == "" {
			l.add(fmt.Sprintf("requirements[%d].category", i), "category %q has no titles: define them here, in another experience requirement, or under categories", r.Category)
		}
	}
	for i := range p.Categories {
		if c := &p.Categories[i]; c.Label == "" {
			c.Label = strings.ReplaceAll(c.Name, "_", " ") + " role"
		}
	}
	slices.SortStableFunc(p.Categories, func(a, b Category) int { return strings.Compare(a.Name, b.Name) })
}

// overrides applies the weights: and knockouts: maps and the SIFT_WEIGHTS_*
// and SIFT_KNOCKOUTS_* environment variables, in that order of precedence
// (the environment wins), and checks that every requirement ends up with a
// weight.
func (l *loader) overrides(p *Profile, fp *fileProfile, raw map[string]any) {
	index := map[string]int{}
	for i, r := range p.Requirements {
		if r.ID != "" {
			index[r.ID] = i
		}
	}
	for _, id := range sortedKeys(fp.Weights) {
		if _, ok := index[id]; !ok {
			l.add("weights."+id, "no requirement has id %q", id)
		} else if w := fp.Weights[id]; !(w > 0) {
			l.add("weights."+id, "must be > 0, got %s", fmtNum(w))
		}
	}
	for _, id := range sortedKeys(fp.Knockouts) {
		if _, ok := index[id]; !ok {
			l.add("knockouts."+id, "no requirement has id %q", id)
		}
	}
	env := viper.New()
	for i := range p.Requirements {
		r := &p.Requirements[i]
		if r.ID == "" || !idPattern.MatchString(r.ID) {
			continue
		}
		wkey, kkey := "weights."+r.ID, "knockouts."+r.ID
		wenv, kenv := "SIFT_WEIGHTS_"+strings.ToUpper(r.ID), "SIFT_KNOCKOUTS_"+strings.ToUpper(r.ID)
		_ = env.BindEnv(wkey, wenv)
		_ = env.BindEnv(kkey, kenv)
		given := has(rawAt(raw, "requirements", i), "weight")
		if w, ok := fp.Weights[r.ID]; ok && w > 0 {
			r.Weight, given = w, true
			p.Overrides = append(p.Overrides, Override{Key: wkey, Value: fmtNum(w), Source: "file"})
		}
		if env.IsSet(wkey) {
			s := strings.TrimSpace(env.GetString(wkey))
			w, err := strconv.ParseFloat(s, 64)
			if err != nil || !(w > 0) || math.IsInf(w, 0) {
				l.addEnv(wenv, "must be a number > 0, got %q", s)
			} else {
				r.Weight, given = w, true
				p.Overrides = append(p.Overrides, Override{Key: wkey, Value: fmtNum(w), Source: wenv})
			}
		}
		if !given {
			l.add(fmt.Sprintf("requirements[%d].weight", i), "missing; give a weight > 0")
		}
		if k, ok := fp.Knockouts[r.ID]; ok {
			r.Knockout = k
			p.Overrides = append(p.Overrides, Override{Key: kkey, Value: strconv.FormatBool(k), Source: "file"})
		}
		if env.IsSet(kkey) {
			s := strings.TrimSpace(env.GetString(kkey))
			k, err := strconv.ParseBool(s)
			if err != nil {
				l.addEnv(kenv, "must be true or false, got %q", s)
			} else {
				r.Knockout = k
				p.Overrides = append(p.Overrides, Override{Key: kkey, Value: strconv.FormatBool(k), Source: kenv})
			}
		}
	}
}

// compile builds the compiled form of a valid profile: categories, term
// groups, patterns, and the CEL environment and programs.
func (l *loader) compile(p *Profile) {
	p.categories = map[string]*category{}
	for _, c := range p.Categories {
		cc := &category{Category: c}
		cc.include = compilePatterns(c.Titles)
		cc.exclude = compilePatterns(c.Exclude)
		p.categories[c.Name] = cc
	}
	p.groups = map[string]*termGroup{}
	groupAt := map[string]string{}
	addGroups := func(key string, groups []TermGroup, sections []parser.SectionKind) []*termGroup {
		var out []*termGroup
		for j, g := range groups {
			gk := fmt.Sprintf("%s[%d].name", key, j)
			if prev, dup := groupAt[g.Name]; dup {
				l.add(gk, "duplicate term group %q (also %s); group names are unique in a profile", g.Name, prev)
				continue
			}
			groupAt[g.Name] = gk
			tg := newTermGroup(g, sections)
			p.groups[g.Name] = tg
			out = append(out, tg)
		}
		return out
	}
	for i := range p.Requirements {
		r := &p.Requirements[i]
		key := fmt.Sprintf("requirements[%d]", i)
		c := &compiledReq{Requirement: r}
		switch r.Kind {
		case KindDegree:
			c.fields = compilePatterns(r.Fields)
			c.related = compilePatterns(r.RelatedFields)
			c.minRank = parser.LevelRank(r.MinLevel)
		case KindExperience:
			c.cat = p.categories[r.Category]
			if r.Signals != nil {
				c.signals = addGroups(key+".signals.groups", r.Signals.Groups, nil)
			}
		case KindTerms:
			c.sections = sectionsOf(r.Sections, r.SkipSections)
			c.groups = addGroups(key+".groups", r.Groups, c.sections)
		case KindCertification:
			for _, cert := range r.Certifications {
				m := certMatcher{Certification: cert}
				for _, n := range append([]string{cert.Name}, cert.Aliases...) {
					m.keys = append(m.keys, normCert(n))
					m.names = append(m.names, n)
				}
				c.certs = append(c.certs, m)
			}
		}
		p.reqs = append(p.reqs, c)
	}
	env, err := ruleEnv()
	if err != nil {
		l.add("", "building the expression environment: %v", err)
		return
	}
	p.env = env
	for i, c := range p.reqs {
		if c.Kind != KindExpression {
			continue
		}
		key := fmt.Sprintf("requirements[%d].expression", i)
		ce, err := p.compileExpr(env, c.Expression, false)
		if err != nil {
			l.add(key, "%v", err)
			continue
		}
		c.prg, c.boolOut = ce.prg, ce.isBool
	}
}

func newTermGroup(g TermGroup, sections []parser.SectionKind) *termGroup {
	tg := &termGroup{name: g.Name}
	if len(g.Aliases) > 0 {
		tg.queries = append(tg.queries, TermQuery{Group: g.Name, Aliases: g.Aliases, CaseSensitive: g.CaseSensitive, Sections: sections})
	}
	if len(g.Acronyms) > 0 {
		tg.queries = append(tg.queries, TermQuery{Group: g.Name, Aliases: g.Acronyms, CaseSensitive: true, Sections: sections})
	}
	return tg
}

// sectionsOf turns sections or skip_sections into the list of section
// kinds where matches count; nil means anywhere.
func sectionsOf(include, skip []string) []parser.SectionKind {
	var out []parser.SectionKind
	if len(include) > 0 {
		for _, s := range include {
			out = append(out, parser.SectionKind(s))
		}
		return out
	}
	if len(skip) == 0 {
		return nil
	}
	for _, k := range sectionKinds {
		if !slices.Contains(skip, string(k)) {
			out = append(out, k)
		}
	}
	return out
}

// normCert normalises a certification name for comparison: upper case,
// letters, digits and '+' only ("(ISC)² CISSP" and "cissp" compare as
// "ISC2CISSP" and "CISSP").
func normCert(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '²':
			b.WriteRune('2')
		case r == '+' || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || (r > 127 && (unicode.IsLetter(r) || unicode.IsDigit(r))):
			b.WriteRune(r)
		}
	}
	return b.String()
}
