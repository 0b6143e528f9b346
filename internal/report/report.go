// Package report renders scored candidates for people and programs: a ranked
// table for the terminal, CSV for spreadsheets, JSON and JSON Lines for
// integrations, and a self-contained HTML report that prints well.
//
// The command line and the web pages share it, so that a recruiter sees the
// same evidence wherever they look.
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"sift/rules"
)

// Formats a report can be written in.
var Formats = []string{"table", "csv", "json", "jsonl", "html"}

// A Report is the ranked outcome of scoring a set of files against one
// profile.
type Report struct {
	Profile    ProfileInfo
	AsOf       string
	Version    string
	Candidates []rules.Result // ranked, best first
	Failures   []Failure      // files that could not be read, in input order
	Total      int            // candidates scored before any --top cut
}

// ProfileInfo describes the profile a report was scored against.
type ProfileInfo struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Hash         string        `json:"hash"`
	Requirements []Requirement `json:"-"`
}

// Requirement is one line of the profile, for column headings and legends.
type Requirement struct {
	ID          string
	Requirement string
	Weight      float64
	Knockout    bool
}

// A Failure is a file that could not be scored.
type Failure struct {
	File   string `json:"file"`
	Status string `json:"status"` // "error" or "no_text"
	Reason string `json:"reason"` // a short machine-readable reason, e.g. "encrypted"
	Error  string `json:"error"`
}

// Write renders r in format (one of Formats).
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "table", "":
		return Table(w, r)
	case "csv":
		return CSV(w, r)
	case "json":
		return JSON(w, r)
	case "jsonl":
		return JSONL(w, r)
	case "html":
		return HTML(w, r)
	}
	return fmt.Errorf("unknown format %q; want one of %s", format, strings.Join(Formats, ", "))
}

// Table writes a ranked table for a terminal.
func Table(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	ids := false // candidates from the store have ids to show
	for _, c := range r.Candidates {
		ids = ids || c.Candidate != ""
	}
	id := func(c rules.Result) string {
		if !ids {
			return ""
		}
		return c.Candidate + "\t"
	}
	head := "RANK\tSCORE\tQUALIFIED\tTIER\t"
	if ids {
		head += "ID\t"
	}
	fmt.Fprintf(tw, "%sFILE\tWHY NOT HIGHER\n", head)
	for i, c := range r.Candidates {
		fmt.Fprintf(tw, "%d\t%5.1f\t%s\t%s\t%s%s\t%s\n", i+1, c.Score, yesNo(c.Qualified), c.Tier, id(c), c.File, mainGap(c))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Total > len(r.Candidates) {
		fmt.Fprintf(w, "(top %d of %d candidates shown)\n", len(r.Candidates), r.Total)
	}
	if len(r.Failures) > 0 {
		fmt.Fprintf(w, "\nCould not score %d file%s:\n", len(r.Failures), plural(len(r.Failures)))
		for _, f := range r.Failures {
			fmt.Fprintf(w, "  %s: %s\n", f.File, f.Error)
		}
	}
	fmt.Fprintf(w, "\nProfile %s (%s, %s), as of %s, sift %s\n", r.Profile.ID, r.Profile.Title, short(r.Profile.Hash), r.AsOf, r.Version)
	return nil
}

// mainGap is the most important reason a candidate is not higher: a failed
// knockout first, else the unmet requirement that costs the most points.
func mainGap(c rules.Result) string {
	var best *rules.Outcome
	lost := -1.0
	for i := range c.Requirements {
		o := &c.Requirements[i]
		if o.Gap == "" {
			continue
		}
		if o.Failed {
			return o.ID + ": " + o.Gap
		}
		if l := o.Weight * (1 - o.Credit); l > lost {
			best, lost = o, l
		}
	}
	if best == nil {
		return ""
	}
	return best.ID + ": " + best.Gap
}

// CSV writes one row per candidate, with a column per requirement, then one
// row per file that could not be scored.
func CSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	head := []string{"rank", "file", "score", "qualified", "tier", "knockouts_failed"}
	for _, q := range r.Profile.Requirements {
		head = append(head, q.ID)
	}
	head = append(head, "error")
	cw.Write(head)
	for i, c := range r.Candidates {
		row := []string{strconv.Itoa(i + 1), c.File, strconv.FormatFloat(c.Score, 'f', 1, 64), yesNo(c.Qualified), c.Tier, strings.Join(c.KnockoutsFailed, " ")}
		byID := map[string]rules.Outcome{}
		for _, o := range c.Requirements {
			byID[o.ID] = o
		}
		for _, q := range r.Profile.Requirements {
			o, ok := byID[q.ID]
			switch {
			case !ok:
				row = append(row, "")
			case o.Status == rules.StatusPartial:
				row = append(row, fmt.Sprintf("partial %.2f", o.Credit))
			default:
				row = append(row, o.Status)
			}
		}
		cw.Write(append(row, ""))
	}
	for _, f := range r.Failures {
		row := []string{"", f.File, "", "", "", ""}
		for range r.Profile.Requirements {
			row = append(row, "")
		}
		cw.Write(append(row, f.Error))
	}
	cw.Flush()
	return cw.Error()
}

type jsonReport struct {
	Profile    ProfileInfo    `json:"profile"`
	AsOf       string         `json:"as_of"`
	Version    string         `json:"version"`
	Total      int            `json:"total"`
	Candidates []rules.Result `json:"candidates"`
	Failures   []Failure      `json:"failures"`
}

// JSON writes one document: the profile, the ranked candidates and the
// failures.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	doc := jsonReport{r.Profile, r.AsOf, r.Version, r.Total, r.Candidates, r.Failures}
	if doc.Candidates == nil {
		doc.Candidates = []rules.Result{}
	}
	if doc.Failures == nil {
		doc.Failures = []Failure{}
	}
	return enc.Encode(doc)
}

// JSONL writes one line per ranked candidate, then one per failure (a
// failure line has "status" and "error" and no "score").
func JSONL(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, c := range r.Candidates {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	for _, f := range r.Failures {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
