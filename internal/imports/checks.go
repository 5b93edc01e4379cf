package imports

import "fmt"

// RefCheck refuses rows whose column (a uuid) names no active record of table; what names the
// record in messages ("indicator"). Empty cells pass: whether the column is required is the
// schema's business.
func RefCheck(field, column, table, what string) Check {
	return Check{Field: field, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such %[4]s' ELSE 'the %[4]s is archived' END
FROM %%[1]s s LEFT JOIN %[3]s r ON r.id = s.%[2]s
WHERE s.%[2]s IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)`, field, column, table, what)}
}

// RefArrayCheck is RefCheck for a uuid[] column: every element must name an active record.
func RefArrayCheck(field, column, table, what string) Check {
	return Check{Field: field, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such %[4]s: ' || u.ref ELSE 'the %[4]s ' || u.ref || ' is archived' END
FROM %%[1]s s CROSS JOIN LATERAL unnest(s.%[2]s) AS u(ref) LEFT JOIN %[3]s r ON r.id = u.ref
WHERE r.id IS NULL OR r.archived_at IS NOT NULL`, field, column, table, what)}
}
