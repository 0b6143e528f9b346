package scoring

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"sift/parser"
)

// Field names of a candidate document. Query strings over the index (a later
// shortlist feature) use these names, e.g. `titles:director certifications:cissp`.
const (
	FieldText           = "text"              // redacted resume text, English analysis (stemmed, stop words removed)
	FieldExact          = "exact"             // the same text, case preserved, no stemming: acronyms such as CPP
	FieldTitles         = "titles"            // position titles, English analysis
	FieldSections       = "sections"          // section kinds present, e.g. "experience"
	FieldCertifications = "certifications"    // certifications, one token each, lower-cased
	FieldFile           = "file"              // the file name as given, one token, stored
	FieldExperience     = "experience_months" // total months of experience, numeric
	FieldDegree         = "degree"            // highest degree level, e.g. "bachelor"

	// The field only a Store's documents have: scores.<profile id>.score
	// (numeric), .qualified (boolean), .tier (keyword), e.g.
	// `+scores.cso.tier:strong +scores.itops.score:>=70` in a query string
	// (which cannot match a boolean: ShortlistQuery.Qualified does that).
	FieldScores = "scores"
)

// Sub-fields of FieldScores, one set per profile: a shortlist query for the
// profile cso filters on scores.cso.score.
const (
	scoreField     = "score"
	qualifiedField = "qualified"
	tierField      = "tier"
)

// scoresPath returns the path of a per-profile field, e.g. scores.cso.score.
func scoresPath(profile, field string) string { return FieldScores + "." + profile + "." + field }

// Analyzer names registered in the index mapping.
const (
	analyzerEnglish = "sift_en"    // unicode tokenizer, possessives, lower case, English stop words, stemmer
	analyzerExact   = "sift_exact" // unicode tokenizer only
	analyzerTag     = "sift_tag"   // the whole value as one token, lower-cased
)

// stemmer is the English analyzer's stemmer. It folds plurals only
// ("assessments" matches "risk assessment"). Porter, which bleve's own "en"
// analyzer uses, conflates far more, and on resumes that means false
// evidence: "2019 – Present" matched "presentations", "Community College"
// matched "communications", "managed" matched "manager". Verb forms a
// requirement accepts are listed as aliases in the profile instead.
// Changing it changes the mapping, so an on-disk index must be rebuilt.
const stemmer = en.PluralStemmerName

// NewMapping returns the explicit index mapping every sift index uses, in
// memory or on disk. One part is mapped dynamically: the sub-document
// FieldScores, whose fields are named after profiles (scores.<id>.score,
// .qualified, .tier), so that a store can add a profile without a new
// mapping. Numbers there are numeric fields (for range filters), booleans
// boolean fields, strings single keywords, all with doc values (for
// sorting and facets).
// Anything else that is not listed here is not indexed.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	if err := m.AddCustomAnalyzer(analyzerEnglish, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{en.PossessiveName, lowercase.Name, en.StopName, stemmer},
	}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer(analyzerExact, map[string]any{
		"type":      custom.Name,
		"tokenizer": unicode.Name,
	}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer(analyzerTag, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = analyzerEnglish
	m.DefaultField = FieldText
	// These apply only under FieldScores, the one dynamic sub-document.
	m.IndexDynamic = true
	m.StoreDynamic = false
	m.DocValuesDynamic = true

	// Matching needs positions and byte offsets (term vectors); it needs
	// neither stored values nor doc values, which would double the memory.
	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	// Tags keep term vectors too: a quoted query string is a phrase query,
	// which needs them even for one word.
	tag := func() *mapping.FieldMapping { return text(analyzerTag) }
	// The file name is stored and sortable (doc values), for shortlists.
	file := mapping.NewKeywordFieldMapping()
	file.Analyzer = keyword.Name
	file.IncludeInAll = false
	months := mapping.NewNumericFieldMapping()
	months.Store = false
	months.IncludeInAll = false

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldText, text(analyzerEnglish))
	doc.AddFieldMappingsAt(FieldExact, text(analyzerExact))
	doc.AddFieldMappingsAt(FieldTitles, text(analyzerEnglish))
	doc.AddFieldMappingsAt(FieldSections, tag())
	doc.AddFieldMappingsAt(FieldCertifications, tag())
	doc.AddFieldMappingsAt(FieldFile, file)
	doc.AddFieldMappingsAt(FieldExperience, months)
	doc.AddFieldMappingsAt(FieldDegree, tag())
	scores := mapping.NewDocumentMapping() // dynamic
	scores.DefaultAnalyzer = keyword.Name
	doc.AddSubDocumentMapping(FieldScores, scores)
	m.DefaultMapping = doc
	return m, nil
}

// document builds the bleve document for a resume. redacted is the resume's
// text with contact details blanked (see redact); it is the only text
// indexed. Contact details and hidden text are never read.
func document(r *parser.Resume, redacted string) map[string]any {
	titles := make([]string, 0, len(r.Positions))
	for _, p := range r.Positions {
		if p.Title != "" {
			titles = append(titles, p.Title)
		}
	}
	kinds := make([]string, 0, len(r.Sections))
	seen := map[parser.SectionKind]bool{}
	for _, s := range r.Sections {
		if !seen[s.Kind] {
			seen[s.Kind] = true
			kinds = append(kinds, string(s.Kind))
		}
	}
	degree, rank := "", 0
	for _, e := range r.Education {
		if n := parser.LevelRank(e.Level); n > rank {
			degree, rank = e.Level, n
		}
	}
	d := map[string]any{
		FieldText:       redacted,
		FieldExact:      redacted,
		FieldTitles:     titles,
		FieldSections:   kinds,
		FieldFile:       r.File,
		FieldExperience: float64(r.ExperienceMonths),
	}
	if len(r.Certifications) > 0 {
		d[FieldCertifications] = r.Certifications
	}
	if degree != "" {
		d[FieldDegree] = degree
	}
	return d
}
