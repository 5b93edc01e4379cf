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

// KeptRefCheck is RefCheck with the services' rule for references a record already holds:
// archiving what a record refers to keeps the record writable, so a row that updates a stored
// record (a row of own matched by match, an SQL condition over own's alias t and the staged row
// s) may keep a reference that is now archived. missing is the message for an unknown one.
func KeptRefCheck(column, table, missing, own, match string) Check {
	return Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN '%[3]s' ELSE 'is archived' END
FROM %%[1]s s LEFT JOIN %[2]s r ON r.id = s.%[1]s
WHERE s.%[1]s IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM %[4]s t WHERE %[5]s AND t.%[1]s = s.%[1]s)`, column, table, missing, own, match)}
}

// KeptLiveRefsCheck is RefArrayCheck with the same rule, on field: every id of the uuid[]
// column must name a live row of table (each missing or archived one named in the message),
// unless the stored record the row updates lists it already.
func KeptLiveRefsCheck(field, column, table, missing, own, match string) Check {
	return Check{Field: field, SQL: fmt.Sprintf(`
SELECT s.line, '%[3]s: ' || u.ref
FROM %%[1]s s CROSS JOIN LATERAL unnest(s.%[1]s) AS u(ref) LEFT JOIN %[2]s r ON r.id = u.ref AND r.archived_at IS NULL
WHERE r.id IS NULL AND NOT EXISTS (SELECT 1 FROM %[4]s t WHERE %[5]s AND u.ref = ANY(t.%[1]s))`, column, table, missing, own, match)}
}
