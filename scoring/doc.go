// Package scoring indexes parsed resumes with bleve, finds a job profile's
// term groups in them with evidence, scores and ranks candidates in batches
// with bounded memory, and keeps the candidate pool on disk.
//
// The text matched is the resume's visible text with the contact details
// blanked out, so a name, an email address or a link can never count as
// evidence. A ResumeMatcher answers rules.TermQuery for one resume: it
// analyses the text with the index mapping's analyzers and finds terms and
// phrases as bleve's queries do, without building an index. An Index holds
// one document per candidate, and its Matchers give the same evidence
// through bleve searches. A Scorer streams resumes through batches, and
// Rank and Top order the results.
//
// A Store is the persistent pool, in a data directory: every candidate's
// parsed resume and results, durable once acknowledged, rescored without
// parsing when a profile or the month changes, shortlisted with text
// queries and filters, and erased completely on request.
package scoring
