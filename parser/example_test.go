package parser_test

import (
	"context"
	"fmt"
	"log"

	"sift/parser"
)

func ExampleParser_ParseBytes() {
	resume := `Jamie L. Ortega
jamie.ortega@example.com | (555) 010-4477

EXPERIENCE
Security Manager, Fabrikam Health   Mar 2021 – Present
- Runs the incident response program and the security budget.
Security Analyst, Contoso Bank   2017 – 2021
- Triaged SIEM alerts.

EDUCATION
B.S. in Information Systems, Lakeside University, 2016

CERTIFICATIONS
CISSP, CISM
`
	p := &parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	res, err := p.ParseBytes(context.Background(), "ortega.txt", []byte(resume))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Format, res.Status, res.Contact.Name)
	for _, pos := range res.Positions {
		fmt.Printf("%s at %s from %s, %d months\n", pos.Title, pos.Organization, pos.Start, pos.Months)
	}
	for _, e := range res.Education {
		fmt.Printf("%s in %s, %s, %d\n", e.Level, e.Field, e.Institution, e.Year)
	}
	fmt.Println(res.Certifications, res.ExperienceMonths)
	// Output:
	// text ok Jamie L. Ortega
	// Security Manager at Fabrikam Health from 2021-03, 69 months
	// Security Analyst at Contoso Bank from 2017-01, 48 months
	// bachelor in Information Systems, Lakeside University, 2016
	// [CISSP CISM] 117
}
