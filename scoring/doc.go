// Package scoring indexes parsed resumes with bleve, finds a job profile's
// term groups in them with evidence, scores and ranks candidates in batches
// with bounded memory, and keeps the candidate pool on disk.
//
// An Index holds one document per candidate. The text it matches is the
// resume's visible text with the contact details blanked out, so a name, an
// email address or a link can never count as evidence. A Matcher answers
// rules.TermQuery for one candidate; all candidates of an index share each
// query's search, so a batch of N resumes costs one bleve search per distinct
// query rather than N. A Scorer streams resumes through such batches, and
// Rank and Top order the results.
//
// A Store is the persistent pool, in a data directory: every candidate's
// parsed resume and results, durable once acknowledged, rescored without
// parsing when a profile or the month changes, shortlisted with text
// queries and filters, and erased completely on request.
package scoring
