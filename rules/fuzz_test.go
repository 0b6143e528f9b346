package rules

import (
	"testing"
)

// FuzzParse: no profile file, however broken, makes loading panic; a
// profile that loads evaluates.
func FuzzParse(f *testing.F) {
	cso, err := builtinFS.ReadFile("profiles/cso.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(cso))
	f.Add(minimal)
	f.Add(degreeProfile)
	f.Add(exprProfile)
	f.Add("id: x\nrequirements: [{id: a, requirement: b, kind: terms, weight: 1, groups: [{name: c}]}]\n")
	res := strongCSO()
	f.Fuzz(func(t *testing.T, data string) {
		p, err := ParseNamed("fuzz.yaml", []byte(data), "yaml")
		if err != nil {
			return
		}
		if _, err := p.Evaluate(res, textMatcher{res}); err != nil {
			t.Logf("evaluate: %v", err) // a runtime CEL error is allowed
		}
	})
}
