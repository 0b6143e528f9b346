package samples

import "sift/internal/pdfgen"

// The people below are invented; any likeness to a real person or employer
// is accidental. Emails use example.com and phone numbers the 555 range.

// StrongCSO meets every requirement of the Chief Security Officer profile.
var StrongCSO = Resume{
	Name:     "Dana R. Whitfield",
	Headline: "Chief Security Officer",
	Contact:  []string{"dana.whitfield@example.com", "(503) 555-0142", "Portland, OR", "https://linkedin.com/in/dana-whitfield-example"},
	Summary: "Security executive with 17 years of experience building physical and digital security programs for regulated " +
		"healthcare and financial organizations. Led compliance with HIPAA, GLBA, SOX, CCPA and NYDFS 23 NYCRR 500, and state " +
		"breach-notification laws across 14 states. Presents quarterly risk assessments to the board and owns a $4.2M security budget.",
	Jobs: []Job{
		{Title: "Chief Security Officer", Org: "Harborview Health System", Place: "Portland, OR", Dates: "Jan 2019 – Present", Bullets: []string{
			"Lead a team of 18 security professionals across security operations, identity and access management, and physical security.",
			"Developed security policies, procedures and access control standards for 12 hospitals, including CCTV and badge systems.",
			"Managed incident response for ransomware and phishing incidents; ran breach notification under HIPAA and state law.",
			"Presented enterprise risk assessments to the executive team and the board; built the annual security budget.",
			"Launched security awareness training for 9,000 staff, cutting phishing click rates by 60 percent.",
		}},
		{Title: "Director of Information Security", Org: "Cascade Mutual Bank", Place: "Seattle, WA", Dates: "Mar 2013 – Dec 2018", Bullets: []string{
			"Directed the security operations center (SOC), SIEM, DLP and forensics programs under GLBA and SOX.",
			"Aligned the security program with the NIST Cybersecurity Framework and ISO 27001; passed every regulatory exam.",
			"Managed 9 direct reports and a $2.1M budget.",
		}},
		{Title: "Security Operations Manager", Org: "Northwind Logistics", Place: "Tacoma, WA", Dates: "June 2009 – February 2013", Bullets: []string{
			"Managed physical security, guard services and the incident response plan for 30 warehouses.",
		}},
		{Title: "Security Analyst", Org: "Northwind Logistics", Place: "Tacoma, WA", Dates: "2006 – 2009", Bullets: []string{
			"Monitored intrusion detection alerts and investigated security incidents.",
		}},
	},
	Schools: []School{
		{Degree: "M.S. in Cybersecurity Management", School: "Puget Sound Institute of Technology", Year: "2012"},
		{Degree: "B.S. in Information Technology Systems", School: "Willamette Valley University", Year: "2006"},
	},
	Certs:  []string{"CISSP – Certified Information Systems Security Professional", "CISM – Certified Information Security Manager", "CRISC", "CPP – Certified Protection Professional"},
	Skills: []string{"Risk assessment", "Incident response", "Identity and access management (IAM)", "SIEM", "DLP", "NIST CSF", "ISO 27001", "Physical security", "Budget management"},
	Extra: []Section{{Heading: "Professional Memberships", Lines: []string{
		"ISC2 member; ISACA Portland chapter board member; ASIS International member",
		"Speaker at regional security conferences; maintains CPE credits every year",
	}}},
}

// NearMissYears has the degree and the skills but under three years as a
// security manager.
var NearMissYears = Resume{
	Name:     "Priya N. Castellanos",
	Headline: "Security Manager",
	Contact:  []string{"priya.castellanos@example.com", "+1 312 555 0178", "Chicago, IL", "github.com/pcastellanos-example"},
	Summary: "Security manager with a background in security operations and compliance for higher education and fintech. " +
		"Experienced with HIPAA and FERPA audits, firewall and identity platforms, and incident response.",
	Jobs: []Job{
		{Title: "Security Manager", Org: "Lakefront Payments Inc.", Place: "Chicago, IL", Dates: "Feb 2025 – Present", Bullets: []string{
			"Manage a team of 4 analysts responsible for vulnerability management and incident response.",
			"Defined access control procedures and certified quarterly user access reviews.",
		}},
		{Title: "Senior Security Analyst", Org: "Lakefront Payments Inc.", Place: "Chicago, IL", Dates: "Aug 2019 – Jan 2025", Bullets: []string{
			"Tuned SIEM detections and led forensic investigations of suspicious logins.",
			"Supported PCI DSS assessments and FERPA-driven data classification efforts.",
		}},
		{Title: "Security Analyst", Org: "Midwest State University", Place: "Springfield, IL", Dates: "06/2016 - 07/2019", Bullets: []string{
			"Configured firewall rules and ran the security awareness program for 2,000 staff.",
		}},
	},
	Schools: []School{{Degree: "Bachelor of Science in Cybersecurity", School: "Midwest State University", Year: "2016"}},
	Certs:   []string{"CISSP", "CompTIA Security+"},
	Skills:  []string{"SIEM (Splunk)", "Firewall management", "Incident response", "Identity and access management", "Python scripting"},
}

// Stuffed is an IT support specialist whose PDF hides security keywords
// where a reader cannot see them.
var Stuffed = Resume{
	Name:     "Alex J. Moreno",
	Headline: "IT Support Specialist",
	Contact:  []string{"alex.moreno@example.com", "555-0199", "Austin, TX"},
	Summary:  "Friendly help desk specialist with five years of experience supporting Windows and Mac users in a 300-person office.",
	Jobs: []Job{
		{Title: "IT Support Specialist", Org: "Bluebonnet Marketing Group", Place: "Austin, TX", Dates: "2021 - Present", Bullets: []string{
			"Resolved 40 tickets a week covering laptops, printers and conference rooms.",
			"Set up new hires' accounts and equipment.",
		}},
		{Title: "Help Desk Technician", Org: "Capitol Computer Repair", Place: "Austin, TX", Dates: "2019 - 2021", Bullets: []string{
			"Repaired and imaged desktop computers.",
		}},
	},
	Schools: []School{{Degree: "Associate of Applied Science in Computer Support", School: "Hill Country Community College", Year: "2019"}},
	Skills:  []string{"Windows 11", "macOS", "Microsoft 365", "Ticketing systems"},
}

// StuffedRuns are the hidden keyword runs of the Stuffed sample, one per
// way of hiding.
var StuffedRuns = []HiddenRun{
	{How: "white", Text: "Chief Security Officer CISSP CISM CISA HIPAA GLBA SOX FISMA FERPA CCPA incident response risk assessment board budget security manager director of security"},
	{How: "invisible", Text: "Chief Information Security Officer 15 years security manager CISSP CPP NIST ISO 27001"},
	{How: "tiny", Text: "security awareness training SIEM DLP IAM forensics breach"},
	{How: "offpage", Text: "Vice President of Security HIPAA GLBA"},
}

// NoDegree is a long-serving security director without a degree.
var NoDegree = Resume{
	Name:     "Marcus O. Bell",
	Headline: "Director of Corporate Security",
	Contact:  []string{"marcus.bell@example.com", "(404) 555-0111", "Atlanta, GA"},
	Summary: "Corporate security leader with 20 years protecting people, facilities and information for a Fortune 500 " +
		"retailer. Built the physical security program and the security operations center; handles investigations, " +
		"workplace violence prevention and crisis management. Working knowledge of HIPAA, SOX and Georgia's breach-notification law.",
	Jobs: []Job{
		{Title: "Director of Corporate Security", Org: "Peachtree Retail Group", Place: "Atlanta, GA", Dates: "September 2012 – Current", Bullets: []string{
			"Lead 35 security officers and 6 managers across 220 stores and 3 distribution centers.",
			"Own the security budget and present loss and risk assessments to the executive committee.",
			"Wrote the physical security protocols, CCTV standards and incident response plan.",
		}},
		{Title: "Security Manager", Org: "Peachtree Retail Group", Place: "Atlanta, GA", Dates: "2005 – 2012", Bullets: []string{
			"Managed investigations, access control and guard services for the headquarters campus.",
		}},
		{Title: "Security Officer", Org: "Southern Guard Services", Place: "Macon, GA", Dates: "2001 – 2005"},
	},
	Schools: []School{{Degree: "High School Diploma", School: "Macon Central High School", Year: "2000"}},
	Certs:   []string{"CPP", "PSP – Physical Security Professional"},
	Skills:  []string{"Physical security", "Investigations", "CCTV", "Access control", "Crisis management", "Security awareness training"},
}

// NonSecurity is a pastry chef: nothing in the CSO profile applies.
var NonSecurity = Resume{
	Name:     "Sam Okafor",
	Headline: "Executive Pastry Chef",
	Contact:  []string{"sam.okafor@example.com", "+44 20 7946 0958", "London", "https://samokafor.example.com"},
	Summary:  "Pastry chef with twelve years in hotel and restaurant kitchens, leading brigades of up to ten.",
	Jobs: []Job{
		{Title: "Executive Pastry Chef", Org: "The Riverside Hotel", Place: "London", Dates: "Apr 2018 – Present", Bullets: []string{
			"Lead a brigade of 10 and design seasonal dessert menus.",
			"Manage food safety procedures and a £300k ingredients budget.",
		}},
		{Title: "Pastry Sous Chef", Org: "Maison Clement", Place: "Lyon", Dates: "Sept. 2012 to Mar. 2018", Bullets: []string{
			"Ran the viennoiserie section and trained apprentices.",
		}},
	},
	Schools: []School{{Degree: "Diploma in Pâtisserie", School: "Lyon Culinary Institute", Year: "2012"}},
	Certs:   []string{"Level 3 Food Hygiene Certificate"},
	Skills:  []string{"Viennoiserie", "Chocolate work", "Menu costing", "Team leadership"},
}

// ITDirector leads IT with some security duties: a possible fit.
var ITDirector = Resume{
	Name:     "Lee Ann Kowalski",
	Headline: "Director of Information Technology",
	Contact:  []string{"leeann.kowalski@example.com", "(614) 555-0123", "Columbus, OH"},
	Summary: "IT director for a regional hospital network, responsible for infrastructure, service desk and HIPAA " +
		"security compliance, working with the privacy officer on risk assessments.",
	Jobs: []Job{
		{Title: "Director of Information Technology", Org: "Buckeye Regional Hospitals", Place: "Columbus, OH", Dates: "2016 – Present", Bullets: []string{
			"Lead a team of 22 across infrastructure, applications and the service desk.",
			"Own HIPAA security rule compliance, annual risk assessments and the disaster recovery plan.",
		}},
		{Title: "IT Manager", Org: "Scioto Valley Clinics", Place: "Columbus, OH", Dates: "2010 – 2016", Bullets: []string{
			"Managed network, server and endpoint operations for 14 clinics.",
		}},
	},
	Schools: []School{
		{Degree: "Master of Science in Information Systems", School: "Central Ohio University", Year: "2010"},
		{Degree: "Bachelor of Business Administration", School: "Central Ohio University", Year: "2007"},
	},
	Certs:  []string{"ITIL 4 Foundation", "PMP"},
	Skills: []string{"Infrastructure", "Vendor management", "Budgeting", "HIPAA compliance"},
}

// SecurityManager has two positions at one employer, written in a
// Typst-like PDF.
var SecurityManager = Resume{
	Name:     "Jordan T. Reyes",
	Headline: "Information Security Manager",
	Contact:  []string{"jordan.reyes@example.com", "(608) 555-0163", "Madison, WI"},
	Summary: "Information security manager at a credit union, responsible for GLBA safeguards, vendor risk and the " +
		"incident response program; reports on cyber risk to the supervisory committee.",
	Jobs: []Job{
		{Title: "Information Security Manager", Org: "Lakeshore Credit Union", Place: "Madison, WI", Dates: "2021–now", Bullets: []string{
			"Lead three engineers; run the vulnerability management and third-party risk programs.",
			"Wrote the information security policy and the breach-notification procedure under Wisconsin law.",
		}},
		{Title: "Security Engineer", Org: "Lakeshore Credit Union", Place: "Madison, WI", Dates: "2018–2021", Bullets: []string{
			"Deployed multifactor authentication and centralized logging.",
		}},
	},
	Schools: []School{{Degree: "B.A. Computer Science", School: "University of Northern Lakes", Year: "2014"}},
	Certs:   []string{"CISM", "CISA"},
	Skills:  []string{"Vendor risk management", "Incident response", "Identity management", "Cloud security"},
}

// OpsManager is a security operations manager in a date-column layout.
var OpsManager = Resume{
	Name:     "Rafael D. Ortiz",
	Headline: "Security Operations Manager",
	Contact:  []string{"rafael.ortiz@example.com", "(915) 555-0137", "El Paso, TX"},
	Jobs: []Job{
		{Title: "Security Operations Manager", Org: "Border Energy Cooperative", Dates: "03/2020 - 10/2026", Bullets: []string{
			"Managed the 24x7 SOC team of 7 and the SIEM platform; handled incident escalations.",
		}},
		{Title: "SOC Analyst", Org: "Border Energy Cooperative", Dates: "01/2016 - 02/2020", Bullets: []string{
			"Triaged alerts and wrote runbooks.",
		}},
	},
	Schools: []School{{Degree: "Bachelor of Applied Science, Information Assurance", School: "Rio Grande Polytechnic", Year: "2015"}},
	Certs:   []string{"GCIH", "CySA+"},
	Skills:  []string{"SIEM", "Incident response", "Threat hunting"},
}

// All returns every sample file.
func All() []Sample {
	return []Sample{
		{"cso_strong.pdf", RenderPDF(StrongCSO, PDFOptions{Producer: "sift samples: word-processor style", Compress: true})},
		{"cso_near_miss.pdf", RenderPDF(NearMissYears, PDFOptions{Producer: "sift samples: LaTeX style", TwoColumn: true, Spacing: pdfgen.TJGaps, Ligatures: true, Serif: true, Hyphenate: true, Compress: true})},
		{"keyword_stuffed.pdf", RenderPDF(Stuffed, PDFOptions{Producer: "sift samples: stuffed", Hidden: StuffedRuns})},
		{"security_manager.pdf", RenderPDF(SecurityManager, PDFOptions{Producer: "sift samples: Typst style", Spacing: pdfgen.Positioned, LetterSpaced: true, Hyphenate: true, Compress: true})},
		{"ops_manager_dates_left.pdf", RenderPDF(OpsManager, PDFOptions{Producer: "sift samples: date column", DatesLeft: true, Serif: true})},
		{"scanned.pdf", RenderPDF(OpsManager, PDFOptions{Producer: "sift samples: scanner", ImageOnly: true})},
		{"it_director.txt", RenderText(ITDirector)},
		{"pastry_chef.md", RenderMarkdown(NonSecurity)},
		{"no_degree.docx", RenderDOCX(NoDegree, DOCXOptions{Application: "sift samples: word processor", ContactInHeader: true, Tables: true, SummaryBox: true})},
		{"cso_strong_strict.docx", RenderDOCX(StrongCSO, DOCXOptions{Application: "sift samples: Strict OOXML", Strict: true})},
	}
}
