package rules

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// minimal is a valid profile the validation cases start from.
const minimal = `id: test
title: Test
requirements:
  - id: degree
    requirement: A bachelor's degree
    kind: degree
    weight: 1
    min_level: bachelor
`

func TestBuiltinCSO(t *testing.T) {
	if got := Builtins(); !slices.Equal(got, []string{"cso"}) {
		t.Errorf("Builtins() = %v; want [cso]", got)
	}
	p := mustBuiltin(t, "cso")
	if p.ID != "cso" || p.Title != "Chief Security Officer" || p.Source != "profiles/cso.yaml" {
		t.Errorf("got id %q title %q source %q; want cso, Chief Security Officer, profiles/cso.yaml", p.ID, p.Title, p.Source)
	}
	var ids []string
	var sum float64
	for _, r := range p.Requirements {
		ids = append(ids, r.ID)
		sum += r.Weight
	}
	want := []string{"degree", "security_experience", "laws", "protocols", "incidents", "risk_reporting",
		"awareness", "leadership", "cyber_systems", "certifications", "current"}
	if !slices.Equal(ids, want) {
		t.Errorf("requirement ids = %v; want %v", ids, want)
	}
	if sum != 100 {
		t.Errorf("weights sum to %v; want 100 (so that weights read as points)", sum)
	}
	knockouts := map[string]bool{}
	for _, r := range p.Requirements {
		if r.Knockout {
			knockouts[r.ID] = true
		}
	}
	if len(knockouts) != 2 || !knockouts["degree"] || !knockouts["security_experience"] {
		t.Errorf("knockouts = %v; want degree and security_experience", knockouts)
	}
	if len(p.Hash()) != 64 {
		t.Errorf("Hash() = %q; want 64 hex digits", p.Hash())
	}
	if len(p.Overrides) != 0 {
		t.Errorf("Overrides = %v; want none", p.Overrides)
	}
	tiers := []Tier{{"strong", 70, true}, {"possible", 45, false}, {"weak", 20, false}, {"no", 0, false}}
	if !slices.Equal(p.Tiers, tiers) {
		t.Errorf("tiers = %v; want %v", p.Tiers, tiers)
	}
	for _, id := range Builtins() {
		if b := mustBuiltin(t, id); b.ID != id {
			t.Errorf("profiles/%s.yaml has id %q; want %q", id, b.ID, id)
		}
	}
	if _, err := Builtin("cto"); !errors.Is(err, ErrUnknownProfile) {
		t.Errorf("Builtin(cto) error = %v; want ErrUnknownProfile", err)
	}
}

func TestSecurityManagementTitles(t *testing.T) {
	p := mustBuiltin(t, "cso")
	cat := p.categories["security_management"]
	for title, want := range map[string]bool{
		"Security Manager":                           true,
		"Senior Information Security Manager":        true,
		"Cybersecurity Manager":                      true,
		"Manager of Information Security":            true,
		"Manager, Corporate Security":                true,
		"Director of Security":                       true,
		"Director of Corporate Security":             true,
		"Head of Cyber Security":                     true,
		"VP, Security":                               true,
		"Vice President of Information Security":     true,
		"Global Security Director":                   true,
		"CISO":                                       true,
		"Chief Information Security Officer (CISO)":  true,
		"Chief Security Officer":                     true,
		"Deputy Chief Information Security Officer":  true,
		"Information Security Officer":               true,
		"Security Operations Manager":                true,
		"Security Program Manager":                   true,
		"Security Officer":                           false, // usually a guard post
		"Security Guard":                             false,
		"Security Guard Supervisor":                  false,
		"Account Manager, Security Products":         false,
		"Security Manager Intern":                    false,
		"Sales Director, Security":                   false,
		"Security Engineer":                          false,
		"IT Manager":                                 false,
		"Director of Information Technology":         false,
		"Chief Information Officer":                  false,
		"Cybersecurity Managers Association Liaison": false,
	} {
		if got := cat.matches(title); got != want {
			t.Errorf("security_management matches %q = %v; want %v", title, got, want)
		}
	}
}

// TestValidation checks that each kind of problem is reported with the
// file, the key path and the line.
func TestValidation(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // the problems, in order, each without the "test.yaml: " prefix
	}{
		{
			name: "unknown top-level key",
			yaml: minimal + "titel: Oops\n",
			want: []string{"titel (line 9): unknown key (did you mean title?)"},
		},
		{
			name: "unknown requirement key",
			yaml: strings.Replace(minimal, "    weight: 1\n", "    wieght: 1\n    weight: 1\n", 1),
			want: []string{"requirements[0].wieght (line 7): unknown key (did you mean weight?)"},
		},
		{
			name: "wrong type",
			yaml: strings.Replace(minimal, "weight: 1", "weight: heavy", 1),
			want: []string{`requirements[0].weight (line 7): must be a number, got string "heavy"`},
		},
		{
			name: "string for a list",
			yaml: minimal + "    fields: computer science\n",
			want: []string{`requirements[0].fields (line 9): must be a list, got string "computer science"`},
		},
		{
			name: "fractional months",
			yaml: `id: test
requirements:
  - id: years
    requirement: Three years
    kind: experience
    weight: 1
    category: security_management
    titles: [security manager]
    min_months: 36.5
`,
			want: []string{"requirements[0].min_months (line 9): must be a whole number, got 36.5"},
		},
		{
			name: "unknown kind",
			yaml: strings.Replace(minimal, "kind: degree", "kind: skills", 1),
			want: []string{`requirements[0].kind (line 6): unknown kind "skills"; want one of degree, experience, terms, certification, expression`},
		},
		{
			name: "setting of another kind",
			yaml: minimal + "    min_months: 12\n",
			want: []string{"requirements[0].min_months (line 9): is a setting of kind experience, not of degree " +
				"(settings of degree: min_level, fields, related_fields, related_credit, other_field_credit, higher_level_credit)"},
		},
		{
			name: "duplicate and empty ids",
			yaml: minimal + `  - id: degree
    requirement: Again
    kind: degree
    weight: 1
    min_level: master
  - id: ""
    requirement: No id
    kind: degree
    weight: 1
    min_level: master
  - id: Bad-Id
    requirement: Bad id
    kind: degree
    weight: 1
    min_level: master
`,
			want: []string{
				`requirements[1].id (line 9): duplicate id "degree" (also requirements[0])`,
				"requirements[2].id (line 14): missing",
				`requirements[3].id (line 19): must be lower-case letters, digits and '_', starting with a letter, got "Bad-Id"`,
			},
		},
		{
			name: "non-positive weight",
			yaml: strings.Replace(minimal, "weight: 1", "weight: -3", 1),
			want: []string{"requirements[0].weight (line 7): must be > 0, got -3"},
		},
		{
			name: "missing weight",
			yaml: strings.Replace(minimal, "    weight: 1\n", "", 1),
			want: []string{"requirements[0].weight (line 4): missing; give a weight > 0"},
		},
		{
			name: "missing requirement text",
			yaml: strings.Replace(minimal, "    requirement: A bachelor's degree\n", "", 1),
			want: []string{"requirements[0].requirement (line 4): missing; say which requirement of the job this implements (it is shown in reports)"},
		},
		{
			name: "tiers",
			yaml: minimal + `tiers:
  - name: good
    min_score: 150
  - name: better
    min_score: 40
  - name: best
    min_score: 60
  - name: better
    min_score: 0
    qualified: true
`,
			want: []string{
				"tiers[0].min_score (line 11): must be between 0 and 100, got 150",
				"tiers[2].min_score (line 15): tiers out of order: 60 is above the previous tier's 40; list tiers highest min_score first",
				`tiers[3].name (line 16): duplicate tier "better"`,
				"tiers[3] (line 16): the last tier must have min_score 0 and no qualified condition, so that every candidate gets a tier",
			},
		},
		{
			name: "bad regex",
			yaml: `id: test
requirements:
  - id: years
    requirement: Three years
    kind: experience
    weight: 1
    category: security_management
    titles:
      - security manager
      - director of (security
    min_months: 36
`,
			want: []string{"requirements[0].titles[1] (line 10): bad pattern \"director of (security\": error parsing regexp: missing closing ): `director of (security`"},
		},
		{
			name: "bad CEL",
			yaml: minimal + `  - id: rule
    requirement: A rule
    kind: expression
    weight: 1
    expression: experience_months >= "36"
`,
			want: []string{"requirements[1].expression (line 13): does not compile: 1:19: found no matching overload for '_>=_' applied to '(int, string)'"},
		},
		{
			name: "CEL of the wrong type",
			yaml: minimal + `  - id: rule
    requirement: A rule
    kind: expression
    weight: 1
    expression: '"yes"'
`,
			want: []string{"requirements[1].expression (line 13): must return bool or double, returns string"},
		},
		{
			name: "unknown months category",
			yaml: minimal + `  - id: rule
    requirement: A rule
    kind: expression
    weight: 1
    expression: months("security_mgmt") >= 24
`,
			want: []string{`requirements[1].expression (line 13): months("security_mgmt"): unknown category "security_mgmt" (categories: none defined)`},
		},
		{
			name: "unknown degree level",
			yaml: strings.Replace(minimal, "min_level: bachelor", "min_level: phd", 1),
			want: []string{`requirements[0].min_level (line 8): unknown degree level "phd"; want one of associate, bachelor, master, doctorate`},
		},
		{
			name: "terms problems",
			yaml: `id: test
requirements:
  - id: laws
    requirement: Laws
    kind: terms
    weight: 1
    full_credit_at: 3
    sections: [skills, hobbies]
    groups:
      - name: HIPAA
      - name: SOX
        aliases: [""]
  - id: more
    requirement: More laws
    kind: terms
    weight: 1
    groups:
      - name: HIPAA
`,
			want: []string{
				"requirements[0].groups[1].aliases[0] (line 12): empty alias",
				"requirements[0].full_credit_at (line 7): must be between 1 and the number of groups (2), got 3",
				`requirements[0].sections[1] (line 8): unknown section kind "hobbies"; want one of header, summary, experience, education, certifications, skills, other`,
			},
		},
		{
			name: "duplicate term group",
			yaml: `id: test
requirements:
  - id: laws
    requirement: Laws
    kind: terms
    weight: 1
    groups:
      - name: HIPAA
  - id: more
    requirement: More laws
    kind: terms
    weight: 1
    groups:
      - name: HIPAA
`,
			want: []string{`requirements[1].groups[0].name (line 14): duplicate term group "HIPAA" (also requirements[0].groups[0].name); group names are unique in a profile`},
		},
		{
			name: "categories",
			yaml: `id: test
requirements:
  - id: years
    requirement: Three years
    kind: experience
    weight: 1
    category: security_management
    min_months: 0
  - id: more
    requirement: Also
    kind: experience
    weight: 1
    category: it_management
    titles: [it manager]
    curve: exponential
    min_months: 12
  - id: again
    requirement: Again
    kind: experience
    weight: 1
    category: it_management
    titles: [it director]
    min_months: 12
`,
			want: []string{
				"requirements[0].min_months (line 8): must be > 0, got 0",
				`requirements[1].curve (line 15): unknown curve "exponential"; want linear or step`,
				`requirements[2].titles (line 22): category "it_management" is already defined at requirements[1]; define it once and refer to it by name`,
				`requirements[0].category (line 7): category "security_management" has no titles: define them here, in another experience requirement, or under categories`,
			},
		},
		{
			name: "certifications",
			yaml: `id: test
requirements:
  - id: certs
    requirement: Certifications
    kind: certification
    weight: 1
    certifications:
      - name: CISSP
        credit: 1.5
      - name: cissp
`,
			want: []string{
				"requirements[0].certifications[0].credit (line 9): must be > 0 and <= 1, got 1.5",
				`requirements[0].certifications[1] (line 10): "cissp" is also listed at requirements[0].certifications[0]`,
			},
		},
		{
			name: "override maps",
			yaml: minimal + `weights:
  degree: 0
  nosuch: 2
knockouts:
  other: true
`,
			want: []string{
				"weights.degree (line 10): must be > 0, got 0",
				`weights.nosuch (line 11): no requirement has id "nosuch"`,
				`knockouts.other (line 13): no requirement has id "other"`,
			},
		},
		{
			name: "profile id and no requirements",
			yaml: "title: Nothing\n",
			want: []string{
				`id: missing; give the profile an id such as "cso"`,
				"requirements: missing; a profile needs at least one requirement",
			},
		},
		{
			name: "syntax error",
			yaml: "id: test\nrequirements: [\n",
			want: []string{"yaml: line 2: did not find expected node content"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseNamed("test.yaml", []byte(tt.yaml), "yaml")
			if err == nil {
				t.Fatalf("got profile %q, no error; want %q", p.ID, tt.want)
			}
			var got []string
			for _, e := range flatten(err) {
				got = append(got, strings.TrimPrefix(e.Error(), "test.yaml: "))
				if !errors.Is(e, ErrInvalidProfile) {
					t.Errorf("errors.Is(%v, ErrInvalidProfile) = false; want true", e)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestValidationOtherFormats(t *testing.T) {
	tests := []struct {
		format, data, want string
	}{
		{"json", `{"id": "test", "requirements": [{"id": "degree", "requirement": "A degree", "kind": "degree", "weight": -3, "min_level": "bachelor"}]}`,
			"x.json: requirements[0].weight: must be > 0, got -3"},
		{"toml", "id = \"test\"\n[[requirements]]\nid = \"degree\"\nrequirement = \"A degree\"\nkind = \"degree\"\nweight = 1\nmin_level = \"bachelor\"\nwieght = 2\n",
			"x.toml: requirements[0].wieght: unknown key (did you mean weight?)"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			_, err := ParseNamed("x."+tt.format, []byte(tt.data), tt.format)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got error %v; want %q", err, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "test.yml")
	if err := os.WriteFile(yamlPath, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonPath := filepath.Join(dir, "test.json")
	if err := os.WriteFile(jsonPath, []byte(`{"id":"test","title":"Test","requirements":[{"id":"degree","requirement":"A bachelor's degree","kind":"degree","weight":1,"min_level":"bachelor"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tomlPath := filepath.Join(dir, "test.toml")
	if err := os.WriteFile(tomlPath, []byte("id = \"test\"\ntitle = \"Test\"\n\n[[requirements]]\nid = \"degree\"\nrequirement = \"A bachelor's degree\"\nkind = \"degree\"\nweight = 1\nmin_level = \"bachelor\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	y, err := Load(yamlPath)
	if err != nil {
		t.Fatalf("Load(%s): %v", yamlPath, err)
	}
	if y.Source != yamlPath {
		t.Errorf("Source = %q; want %q", y.Source, yamlPath)
	}
	for _, path := range []string{jsonPath, tomlPath} {
		p, err := Load(path)
		if err != nil {
			t.Fatalf("Load(%s): %v", path, err)
		}
		if p.Hash() != y.Hash() {
			t.Errorf("Load(%s).Hash() = %s; want %s, the same profile's hash from YAML", path, p.Hash(), y.Hash())
		}
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(minimal, "weight: 1", "weight: -3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || err.Error() != bad+": requirements[0].weight (line 7): must be > 0, got -3" {
		t.Errorf("Load(bad) error = %v; want the file, key and line", err)
	}
	if _, err := Load(filepath.Join(dir, "profile.txt")); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Load(.txt) error = %v; want ErrUnknownFormat", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) error = %v; want os.ErrNotExist", err)
	}
}

func TestHash(t *testing.T) {
	base := mustParse(t, minimal)
	reformatted := mustParse(t, `# the same profile, reformatted
title: "Test"
requirements: [{kind: degree, min_level: bachelor, weight: 1.0, requirement: "A bachelor's degree", id: degree}]
id: test   # keys in another order
`)
	explicitDefaults := mustParse(t, minimal+`    related_credit: 0.75
    other_field_credit: 0.5
tiers:
  - {name: strong, min_score: 70, qualified: true}
  - {name: possible, min_score: 45}
  - {name: weak, min_score: 20}
  - {name: "no", min_score: 0}
`)
	if reformatted.Hash() != base.Hash() {
		t.Errorf("reformatted hash = %s; want %s", reformatted.Hash(), base.Hash())
	}
	if explicitDefaults.Hash() != base.Hash() {
		t.Errorf("hash with defaults written out = %s; want %s", explicitDefaults.Hash(), base.Hash())
	}
	for name, yaml := range map[string]string{
		"weight":       strings.Replace(minimal, "weight: 1", "weight: 2", 1),
		"level":        strings.Replace(minimal, "min_level: bachelor", "min_level: master", 1),
		"text":         strings.Replace(minimal, "A bachelor's degree", "A bachelor's degree or equivalent", 1),
		"knockout":     minimal + "    knockout: true\n",
		"weights map":  minimal + "weights: {degree: 3}\n",
		"tier":         minimal + "tiers: [{name: any, min_score: 0}]\n",
		"field credit": minimal + "    other_field_credit: 0.25\n",
	} {
		if p := mustParse(t, yaml); p.Hash() == base.Hash() {
			t.Errorf("changing the %s left the hash at %s; want a different hash", name, p.Hash())
		}
	}
}

func TestEnvOverrides(t *testing.T) {
	plain := mustBuiltin(t, "cso")
	t.Setenv("SIFT_WEIGHTS_LAWS", "20")
	t.Setenv("SIFT_KNOCKOUTS_DEGREE", "false")
	t.Setenv("SIFT_KNOCKOUTS_LAWS", "true")
	p := mustBuiltin(t, "cso")
	for _, r := range p.Requirements {
		switch r.ID {
		case "laws":
			if r.Weight != 20 || !r.Knockout {
				t.Errorf("laws: got weight %v knockout %v; want 20 true", r.Weight, r.Knockout)
			}
		case "degree":
			if r.Knockout {
				t.Errorf("degree: got knockout true; want false from SIFT_KNOCKOUTS_DEGREE")
			}
		}
	}
	want := []Override{
		{Key: "knockouts.degree", Value: "false", Source: "SIFT_KNOCKOUTS_DEGREE"},
		{Key: "weights.laws", Value: "20", Source: "SIFT_WEIGHTS_LAWS"},
		{Key: "knockouts.laws", Value: "true", Source: "SIFT_KNOCKOUTS_LAWS"},
	}
	if !slices.Equal(p.Overrides, want) {
		t.Errorf("Overrides = %v; want %v", p.Overrides, want)
	}
	if p.Hash() == plain.Hash() {
		t.Errorf("hash unchanged by overrides; want a different hash")
	}
	r := evaluate(t, p, noDegree())
	if o := outcome(t, r, "degree"); o.Failed || !r.Qualified || len(r.KnockoutsFailed) != 0 {
		t.Errorf("got degree failed %v, qualified %v, knockouts failed %v; want false, true, [] with SIFT_KNOCKOUTS_DEGREE=false", o.Failed, r.Qualified, r.KnockoutsFailed)
	}

	// The environment wins over the file's weights: map.
	f := mustParse(t, minimal+"weights: {degree: 5}\n")
	if f.Requirements[0].Weight != 5 {
		t.Errorf("weights map: got weight %v; want 5", f.Requirements[0].Weight)
	}
	t.Setenv("SIFT_WEIGHTS_DEGREE", "7.5")
	f = mustParse(t, minimal+"weights: {degree: 5}\n")
	if f.Requirements[0].Weight != 7.5 {
		t.Errorf("env over weights map: got weight %v; want 7.5", f.Requirements[0].Weight)
	}

	t.Setenv("SIFT_WEIGHTS_DEGREE", "-1")
	t.Setenv("SIFT_KNOCKOUTS_DEGREE", "maybe")
	_, err := ParseNamed("test.yaml", []byte(minimal), "yaml")
	wantErr := "test.yaml: env SIFT_WEIGHTS_DEGREE: must be a number > 0, got \"-1\"\n" +
		"test.yaml: env SIFT_KNOCKOUTS_DEGREE: must be true or false, got \"maybe\""
	if err == nil || err.Error() != wantErr {
		t.Errorf("got error %v; want\n%s", err, wantErr)
	}
}

func TestWebhook(t *testing.T) {
	base := "id: x\nrequirements:\n  - id: a\n    requirement: r\n    kind: expression\n    expression: \"true\"\n    weight: 1\n"
	p, err := Parse([]byte(base+"webhook: https://ats.example.com/hooks/sift\n"), "yaml")
	if err != nil || p.Webhook != "https://ats.example.com/hooks/sift" {
		t.Errorf("webhook = %q, %v; want the URL", p.Webhook, err)
	}
	for _, bad := range []string{"ftp://x", "not a url", "https://"} {
		_, err := Parse([]byte(base+"webhook: \""+bad+"\"\n"), "yaml")
		if err == nil || !strings.Contains(err.Error(), "webhook") {
			t.Errorf("webhook %q: error %v; want one naming webhook", bad, err)
		}
	}
}
