package rules

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"

	"sift/parser"
)

// Limits on expressions, which in filters may come from users of the
// server: the size of the source, and the cost of one evaluation (roughly
// the number of operations; the facts of a long resume cost a few hundred).
const (
	maxExprSize = 4096
	maxExprCost = 1_000_000
)

// ErrInvalidFilter is returned by CompileFilter for an expression that does
// not parse, does not type-check or does not return bool.
var ErrInvalidFilter = errors.New("invalid filter")

// ErrNeedsResult is returned by Filter.Match for a filter that reads score,
// qualified or tier when no Result is given.
var ErrNeedsResult = errors.New("filter needs a result")

// The facts expressions see. Contact details are not among them.
var factVars = []cel.EnvOption{
	cel.Variable("certifications", cel.ListType(cel.StringType)),
	cel.Variable("degree_level", cel.IntType),
	cel.Variable("degrees", cel.ListType(cel.MapType(cel.StringType, cel.DynType))),
	cel.Variable("experience_months", cel.IntType),
	cel.Variable("positions", cel.ListType(cel.MapType(cel.StringType, cel.DynType))),
	cel.Variable("as_of", cel.StringType),
	cel.Function("months",
		cel.Overload("months_string", []*cel.Type{cel.StringType}, cel.IntType, cel.LateFunctionBinding())),
	cel.Function("has_term",
		cel.Overload("has_term_string", []*cel.Type{cel.StringType}, cel.BoolType, cel.LateFunctionBinding())),
	ext.Strings(),
	cel.CrossTypeNumericComparisons(true), // score >= 70, with score a double
	cel.ParserExpressionSizeLimit(maxExprSize),
}

// The environments do not depend on the profile (months and has_term are
// bound per evaluation), so they are built once.
var (
	ruleEnv = sync.OnceValues(func() (*cel.Env, error) { return cel.NewEnv(factVars...) })

	filterEnv = sync.OnceValues(func() (*cel.Env, error) {
		env, err := ruleEnv()
		if err != nil {
			return nil, err
		}
		return env.Extend(
			cel.Variable("score", cel.DoubleType),
			cel.Variable("qualified", cel.BoolType),
			cel.Variable("tier", cel.StringType),
		)
	})
)

// A compiledExpr is a type-checked expression and its program.
type compiledExpr struct {
	checked *cel.Ast
	prg     cel.Program
	isBool  bool // returns bool; otherwise double
}

// compileExpr parses and type-checks src, checks the constant arguments of
// months() and has_term() against the profile, and builds its program. A
// rule returns bool or double; a filter must return bool.
func (p *Profile) compileExpr(env *cel.Env, src string, filter bool) (*compiledExpr, error) {
	checked, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		var msgs []string
		for _, e := range iss.Errors() {
			msgs = append(msgs, fmt.Sprintf("%d:%d: %s", e.Location.Line(), e.Location.Column()+1, e.Message))
		}
		return nil, fmt.Errorf("does not compile: %s", strings.Join(msgs, "; "))
	}
	out := checked.OutputType()
	isBool := out.IsExactType(cel.BoolType)
	switch {
	case isBool:
	case !filter && out.IsExactType(cel.DoubleType):
	case filter:
		return nil, fmt.Errorf("must return bool, returns %s", out)
	default:
		return nil, fmt.Errorf("must return bool or double, returns %s", out)
	}
	nav := ast.NavigateAST(checked.NativeRep())
	var probs []string
	for _, call := range ast.MatchDescendants(nav, ast.FunctionMatcher("months")) {
		if name, ok := constArg(call); ok {
			if _, known := p.categories[name]; !known {
				probs = append(probs, fmt.Sprintf("months(%q): unknown category %q (categories: %s)", name, name, listOrNone(sortedKeys(p.categories))))
			}
		}
	}
	for _, call := range ast.MatchDescendants(nav, ast.FunctionMatcher("has_term")) {
		if name, ok := constArg(call); ok {
			if _, known := p.groups[name]; !known {
				probs = append(probs, fmt.Sprintf("has_term(%q): unknown term group %q", name, name))
			}
		}
	}
	if len(probs) > 0 {
		return nil, errors.New(strings.Join(probs, "; "))
	}
	prg, err := env.Program(checked, cel.CostLimit(maxExprCost))
	if err != nil {
		return nil, fmt.Errorf("does not compile: %v", err)
	}
	return &compiledExpr{checked: checked, prg: prg, isBool: isBool}, nil
}

// constArg returns the argument of a one-argument call when it is a string
// literal.
func constArg(e ast.NavigableExpr) (string, bool) {
	args := e.AsCall().Args()
	if len(args) != 1 || args[0].Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := args[0].AsLiteral().(types.String)
	return string(s), ok
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none defined"
	}
	return strings.Join(names, ", ")
}

// facts returns the variables expressions see for res. Contact is never
// read.
func facts(res *parser.Resume) map[string]any {
	certs := slices.Clone(res.Certifications)
	if certs == nil {
		certs = []string{}
	}
	degrees := make([]map[string]any, 0, len(res.Education))
	for _, e := range res.Education {
		degrees = append(degrees, map[string]any{
			"level":       e.Level,
			"degree":      e.Degree,
			"field":       e.Field,
			"institution": e.Institution,
			"year":        int64(e.Year),
			"in_progress": e.InProgress,
		})
	}
	positions := make([]map[string]any, 0, len(res.Positions))
	for _, pos := range res.Positions {
		end := ""
		if pos.End != nil && !pos.End.IsZero() {
			end = pos.End.String()
		}
		positions = append(positions, map[string]any{
			"title":        pos.Title,
			"organization": pos.Organization,
			"start":        monthString(pos.Start),
			"end":          end,
			"months":       int64(pos.Months),
			"current":      pos.Current,
		})
	}
	return map[string]any{
		"certifications":    certs,
		"degree_level":      int64(highestCompleted(res)),
		"degrees":           degrees,
		"experience_months": int64(res.ExperienceMonths),
		"positions":         positions,
		"as_of":             monthString(res.AsOf),
	}
}

func monthString(m parser.Month) string {
	if m.IsZero() {
		return ""
	}
	return m.String()
}

// highestCompleted returns the parser.LevelRank of the highest completed
// degree, 0 when there is none.
func highestCompleted(res *parser.Resume) int {
	best := 0
	for _, e := range res.Education {
		if !e.InProgress {
			best = max(best, parser.LevelRank(e.Level))
		}
	}
	return best
}

// functions returns the late-bound months() and has_term() for one
// evaluation.
func (x *evalCtx) functions() map[string]cel.LateBoundFunction {
	return map[string]cel.LateBoundFunction{
		"months": func(_ string, args ...ref.Val) ref.Val {
			name, ok := args[0].(types.String)
			if !ok {
				return types.NewErr("months: want a string, got %s", args[0].Type())
			}
			cat := x.p.categories[string(name)]
			if cat == nil {
				return types.NewErr("months: unknown category %q (categories: %s)", string(name), listOrNone(sortedKeys(x.p.categories)))
			}
			return types.Int(x.months(cat).total)
		},
		"has_term": func(_ string, args ...ref.Val) ref.Val {
			name, ok := args[0].(types.String)
			if !ok {
				return types.NewErr("has_term: want a string, got %s", args[0].Type())
			}
			g := x.p.groups[string(name)]
			if g == nil {
				return types.NewErr("has_term: unknown term group %q", string(name))
			}
			ev, err := x.match(g)
			if err != nil {
				return types.WrapErr(fmt.Errorf("has_term(%q): %w", string(name), err))
			}
			return types.Bool(len(ev) > 0)
		},
	}
}

// run evaluates a program over the facts of x's resume and extra
// variables, returning the result as a credit in [0, 1] (bool: 0 or 1).
func (x *evalCtx) run(prg cel.Program, extra map[string]any) (float64, error) {
	vars := x.facts()
	if len(extra) > 0 {
		vars = maps.Clone(vars)
		maps.Copy(vars, extra)
	}
	act, err := cel.FunctionVars(vars, x.functions())
	if err != nil {
		return 0, err
	}
	out, _, err := prg.Eval(act)
	if err != nil {
		return 0, err
	}
	switch v := out.(type) {
	case types.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case types.Double:
		f := float64(v)
		if math.IsNaN(f) {
			return 0, nil
		}
		return math.Max(0, math.Min(1, f)), nil
	}
	return 0, fmt.Errorf("returned %s, want bool or double", out.Type())
}

// A Filter is a compiled CEL expression over a candidate, for shortlists:
// it sees the same facts and functions as a profile's expression
// requirements, and also, from a Result,
//
//	score      double  the candidate's score, 0-100
//	qualified  bool    no knockout failed
//	tier       string  the candidate's tier
//
// The facts are:
//
//	certifications     list(string)  normalised certification names
//	degree_level       int           parser.LevelRank of the highest completed degree (0 none, 1 associate ... 4 doctorate)
//	degrees            list(map)     level, degree, field, institution (strings), year (int), in_progress (bool)
//	experience_months  int           total months of experience, as the parser counted them
//	positions          list(map)     title, organization, start, end ("YYYY-MM", or "" when unknown or current), months (int), current (bool)
//	as_of              string        the resume's as-of month, "YYYY-MM"
//	months(category)   int           months in positions of a category of the profile, overlaps counted once
//	has_term(group)    bool          whether a term group of the profile matches (needs a Matcher)
//
// and the string functions of cel-go's ext.Strings (lowerAscii, ...).
// Contact details are not among them. A Filter is safe for concurrent use.
type Filter struct {
	src         string
	p           *Profile
	prg         cel.Program
	needsResult bool
}

// CompileFilter compiles a filter expression returning bool, such as
//
//	months("security_management") >= 24 && "CISSP" in certifications && score >= 60
//
// Errors match ErrInvalidFilter.
func (p *Profile) CompileFilter(expr string) (*Filter, error) {
	env, err := filterEnv()
	if err != nil {
		return nil, err
	}
	ce, err := p.compileExpr(env, expr, true)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrInvalidFilter, expr, err)
	}
	f := &Filter{src: expr, p: p, prg: ce.prg}
	for _, r := range ce.checked.NativeRep().ReferenceMap() {
		switch r.Name {
		case "score", "qualified", "tier":
			f.needsResult = true
		}
	}
	return f, nil
}

// String returns the filter's source.
func (f *Filter) String() string { return f.src }

// NeedsResult reports whether the filter reads score, qualified or tier.
func (f *Filter) NeedsResult() bool { return f.needsResult }

// Match reports whether the candidate passes the filter. r supplies score,
// qualified and tier and may be nil when the filter reads none of them
// (NeedsResult); m answers has_term and may be nil when the filter does not
// call it.
func (f *Filter) Match(res *parser.Resume, r *Result, m Matcher) (bool, error) {
	if res == nil {
		return false, errors.New("rules: filter: nil resume")
	}
	if f.needsResult && r == nil {
		return false, fmt.Errorf("rules: filter %q: %w", f.src, ErrNeedsResult)
	}
	x := newEvalCtx(f.p, res, m)
	var extra map[string]any
	if r != nil {
		extra = map[string]any{"score": r.Score, "qualified": r.Qualified, "tier": r.Tier}
	} else {
		extra = map[string]any{"score": 0.0, "qualified": false, "tier": ""}
	}
	v, err := x.run(f.prg, extra)
	if err != nil {
		return false, fmt.Errorf("rules: filter %q: %w", f.src, err)
	}
	return v == 1, nil
}
