package scoring_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

func ExampleStore() {
	dir, err := os.MkdirTemp("", "sift-store-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cso, err := rules.Builtin("cso")
	if err != nil {
		log.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC) }
	s, err := scoring.OpenStore(dir, scoring.StoreOptions{Profiles: []*rules.Profile{cso}, Version: "example", Now: now})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	ctx := context.Background()
	p := &parser.Parser{Now: now}
	for _, doc := range []struct{ key, file, text string }{
		{"ats-17", "dana.txt", "Dana Ruiz\nEXPERIENCE\nDirector of Security, Globex   Jan 2015 – Present\nLed incident response; HIPAA and SOX compliance.\nCERTIFICATIONS\nCISSP\nEDUCATION\nB.S. in Information Technology, 2010\n"},
		{"ats-18", "lee.txt", "Lee Park\nEXPERIENCE\nPastry Chef, Crumbs   Mar 2019 – Present\nBaked bread.\n"},
	} {
		res, err := p.ParseBytes(ctx, doc.file, []byte(doc.text))
		if err != nil {
			log.Fatal(err)
		}
		out, err := s.Put(ctx, res, doc.key) // durable once it returns
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(doc.key, "created:", out.Created)
	}

	list, err := s.Shortlist(ctx, scoring.ShortlistQuery{Top: 5, Text: "HIPAA", Where: `"CISSP" in certifications`})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range list.Entries {
		fmt.Println(e.ExternalID, e.File, e.Result.Tier)
	}
	fmt.Println("matches:", list.Total)
	// Output:
	// ats-17 created: true
	// ats-18 created: true
	// ats-17 dana.txt possible
	// matches: 1
}
