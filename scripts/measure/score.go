package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"sift/parser"
	"sift/parser/worker"
	"sift/rules"
	"sift/scoring"
)

// measureScores scores every corpus document against the built-in Chief
// Security Officer profile and compares the tier and qualification with the
// labels' cso_fit (strong, possible, weak, no), listing each disagreement
// with the requirement that decided it.
func measureScores(corpus, only string, timeout time.Duration) error {
	rows, err := readTSV(filepath.Join(corpus, "labels.tsv"))
	if err != nil {
		return err
	}
	fit := map[string]string{}
	for _, r := range rows {
		fit[r["file"]] = r["cso_fit"]
	}
	files, err := corpusFiles(corpus, only)
	if err != nil {
		return err
	}
	profile, err := rules.Builtin("cso")
	if err != nil {
		return err
	}
	pool := &worker.Pool{Parser: parser.Parser{AsOf: asOf, Timeout: timeout}, Size: 2}
	defer pool.Close()
	var resumes []*parser.Resume
	unread := map[string]string{}
	for _, name := range files {
		res, err := parseIsolated(pool, filepath.Join(corpus, "docs", name))
		if err != nil {
			unread[name] = parser.Reason(err)
			continue
		}
		res.File = name
		resumes = append(resumes, res)
	}
	scorer := &scoring.Scorer{Profiles: []scoring.Evaluator{profile}}
	out, err := scorer.ScoreBatch(context.Background(), resumes)
	if err != nil {
		return err
	}

	tiers := []string{"strong", "possible", "weak", "no"}
	confusion := map[[2]string]int{}
	agree, within1, total := 0, 0, 0
	qualAgree, qualTotal := 0, 0
	rank := map[string]int{"strong": 0, "possible": 1, "weak": 2, "no": 3}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tlabel\ttier\tscore\tqualified\tdeciding requirement")
	for i, res := range resumes {
		label := fit[res.File]
		if label == "" {
			continue
		}
		r := out[i][0]
		total++
		confusion[[2]string{label, r.Tier}]++
		if label == r.Tier {
			agree++
		}
		if d := rank[label] - rank[r.Tier]; d >= -1 && d <= 1 {
			within1++
		}
		// A labelled strong fit should be qualified; a label of no should not.
		if label == "strong" || label == "no" {
			qualTotal++
			if r.Qualified == (label == "strong") {
				qualAgree++
			}
		}
		if os.Getenv("SIFT_MEASURE_ALL") != "" || label != r.Tier {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%v\t%s\n", res.File, label, r.Tier, r.Score, r.Qualified, deciding(r))
		}
	}
	tw.Flush()
	fmt.Println()
	fmt.Printf("tier = cso_fit: %d of %d (%.1f%%); within one tier: %d (%.1f%%)\n", agree, total, pct(agree, total), within1, pct(within1, total))
	fmt.Printf("qualified agrees with strong (qualified) / no (not qualified) labels: %d of %d\n", qualAgree, qualTotal)
	fmt.Printf("confusion (rows: label, columns: tier):\n%10s", "")
	for _, t := range tiers {
		fmt.Printf("%10s", t)
	}
	fmt.Println()
	for _, l := range tiers {
		fmt.Printf("%10s", l)
		for _, t := range tiers {
			fmt.Printf("%10d", confusion[[2]string{l, t}])
		}
		fmt.Println()
	}
	if len(unread) > 0 {
		var names []string
		for n, why := range unread {
			names = append(names, n+" ("+why+")")
		}
		sort.Strings(names)
		fmt.Printf("not scored (%d): %s\n", len(names), strings.Join(names, ", "))
	}
	return nil
}

// deciding names the failed knockout, or the requirement that lost the most
// points, with its gap.
func deciding(r rules.Result) string {
	if len(r.KnockoutsFailed) > 0 {
		for _, o := range r.Requirements {
			if o.Failed {
				return "knockout " + o.ID + ": " + o.Gap
			}
		}
	}
	best, lost := "", -1.0
	for _, o := range r.Requirements {
		if l := o.Weight * (1 - o.Credit); l > lost && o.Gap != "" {
			best, lost = o.ID+": "+o.Gap, l
		}
	}
	return best
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
