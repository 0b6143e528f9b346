package samples

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"sift/internal/pdfgen"
)

// Pools the random generator draws from. All invented.
var (
	firstNames = []string{"Avery", "Blake", "Casey", "Devon", "Emerson", "Finley", "Gray", "Harper", "Indy", "Jules", "Kai", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor"}
	lastNames  = []string{"Abbott", "Barros", "Chen", "Dlamini", "Eriksen", "Fischer", "Gupta", "Haddad", "Ivanova", "Jansen", "Kowalczyk", "Larsen", "Mbeki", "Nakamura", "Okoro", "Petrov", "Quintero", "Rossi", "Silva", "Tanaka"}
	orgWords   = []string{"Harbor", "Summit", "Granite", "Cedar", "Beacon", "Meridian", "Northgate", "Riverbend", "Ironwood", "Lakeside", "Pinecrest", "Redstone"}
	orgKinds   = []string{"Health System", "Bank", "Credit Union", "Logistics", "Energy", "Insurance Group", "University", "Manufacturing", "Retail Group", "County Government"}
	cities     = []string{"Denver, CO", "Raleigh, NC", "Boise, ID", "Omaha, NE", "Tampa, FL", "Albany, NY", "Reno, NV", "Tulsa, OK"}
	months     = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// A track is a career path: titles from junior to senior, with bullets.
type track struct {
	titles  []string
	bullets []string
	degrees []string
	certs   []string
	skills  []string
}

var tracks = []track{
	{ // security leadership
		titles: []string{"Security Analyst", "Senior Security Engineer", "Security Manager", "Director of Information Security", "Chief Information Security Officer"},
		bullets: []string{
			"Led incident response for phishing and ransomware events and coordinated breach notification.",
			"Ran annual risk assessments and presented results to the executive team and the board.",
			"Managed a team of %d analysts and engineers and a security budget of $%d.%dM.",
			"Wrote security policies and procedures aligned with NIST CSF and ISO 27001.",
			"Maintained compliance with HIPAA, GLBA and SOX; prepared for regulatory examinations.",
			"Built the security awareness training program and phishing simulations.",
			"Deployed SIEM, DLP and identity and access management platforms.",
			"Oversaw physical security, badge access control and CCTV for %d sites.",
		},
		degrees: []string{"B.S. in Information Technology", "B.S. in Cybersecurity", "Bachelor of Science in Information Systems", "M.S. in Information Security", "B.A. in Criminal Justice"},
		certs:   []string{"CISSP", "CISM", "CISA", "CRISC", "CPP", "Security+", "CCSP"},
		skills:  []string{"Incident response", "Risk management", "SIEM", "IAM", "DLP", "NIST CSF", "Vendor risk", "Security awareness"},
	},
	{ // IT operations
		titles: []string{"Help Desk Technician", "Systems Administrator", "Network Engineer", "IT Manager", "Director of IT"},
		bullets: []string{
			"Administered Windows and Linux servers for %d users.",
			"Migrated email and file shares to cloud services.",
			"Managed vendor contracts and an IT budget of $%d.%dM.",
			"Supervised a service desk team of %d technicians.",
			"Maintained backups and the disaster recovery plan.",
		},
		degrees: []string{"B.S. in Computer Science", "Associate of Applied Science in Networking", "B.B.A. in Management Information Systems"},
		certs:   []string{"CCNA", "ITIL 4 Foundation", "Network+", "PMP"},
		skills:  []string{"Active Directory", "VMware", "Networking", "Microsoft 365", "Budgeting"},
	},
	{ // unrelated
		titles: []string{"Sales Associate", "Account Executive", "Sales Manager", "Regional Sales Director"},
		bullets: []string{
			"Exceeded quota by %d percent for three consecutive years.",
			"Managed a territory of %d accounts worth $%d.%dM.",
			"Trained new hires on the sales process.",
		},
		degrees: []string{"B.A. in Communications", "B.B.A. in Marketing", "High School Diploma"},
		certs:   []string{},
		skills:  []string{"Negotiation", "CRM", "Forecasting", "Public speaking"},
	},
}

// Random returns the i-th of a deterministic stream of varied invented
// candidates, for load tests and benchmarks.
func Random(seed uint64, i int) Resume {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	t := tracks[rng.IntN(len(tracks))]
	first, last := pick(firstNames), pick(lastNames)
	r := Resume{
		Name:    first + " " + last,
		Contact: []string{fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), i), fmt.Sprintf("(555) 555-%04d", i%10000), pick(cities)},
	}
	// A career of 2 to 5 positions ending now or recently, most senior last.
	n := 2 + rng.IntN(4)
	year, month := 2026, 1+rng.IntN(10)
	level := min(len(t.titles)-1, rng.IntN(len(t.titles))+1)
	for j := 0; j < n; j++ {
		length := 12 + rng.IntN(60)
		startIdx := year*12 + month - 1 - length
		sy, sm := startIdx/12, startIdx%12
		dates := fmt.Sprintf("%s %d – %s %d", months[sm], sy, months[month-1], year)
		if j == 0 && rng.IntN(3) > 0 {
			dates = fmt.Sprintf("%s %d – Present", months[sm], sy)
		}
		job := Job{Title: t.titles[max(level-j, 0)], Org: pick(orgWords) + " " + pick(orgKinds), Place: pick(cities), Dates: dates}
		for k := 0; k < 2+rng.IntN(3); k++ {
			b := pick(t.bullets)
			if strings.Contains(b, "%d") {
				args := []any{}
				for range strings.Count(b, "%d") {
					args = append(args, 2+rng.IntN(40))
				}
				b = fmt.Sprintf(b, args...)
			}
			job.Bullets = append(job.Bullets, b)
		}
		r.Jobs = append(r.Jobs, job)
		year, month = sy, sm+1
		if rng.IntN(4) == 0 {
			year-- // a gap between positions
		}
	}
	r.Headline = r.Jobs[0].Title
	r.Summary = fmt.Sprintf("%s with %d years of experience.", r.Headline, 2026-year)
	r.Schools = []School{{Degree: pick(t.degrees), School: pick(orgWords) + " State University", Year: fmt.Sprint(year - rng.IntN(3))}}
	for _, c := range t.certs {
		if rng.IntN(3) == 0 {
			r.Certs = append(r.Certs, c)
		}
	}
	r.Skills = t.skills
	return r
}

// RandomPDF renders Random(seed, i) as a one- to two-page PDF, varying the
// producer style.
func RandomPDF(seed uint64, i int) []byte {
	styles := []PDFOptions{
		{Compress: true},
		{Compress: true, Spacing: pdfgen.TJGaps, Ligatures: true, Serif: true},
		{Compress: true, TwoColumn: true},
		{Compress: true, Spacing: pdfgen.Positioned, LetterSpaced: true},
	}
	return RenderPDF(Random(seed, i), styles[i%len(styles)])
}
