package client

import (
	"context"
	"iter"
)

// Pages walks a cursor-paged list. fetch gets one page given the previous page's token ("" for
// the first) and returns its items and the next token; iteration ends when the token is empty,
// when fetch fails (the error is yielded once), or when the loop breaks.
//
//	for inst, err := range client.Pages(ctx, func(ctx context.Context, token string) ([]client.Institution, string, error) {
//		params := &client.ListInstitutionsParams{PageToken: &token}
//		res, err := c.ListInstitutionsWithResponse(ctx, params)
//		if err != nil || res.JSON200 == nil { return nil, "", client.Failure(res, err) }
//		return res.JSON200.Items, res.JSON200.NextPageToken, nil
//	}) { ... }
func Pages[T any](ctx context.Context, fetch func(ctx context.Context, token string) ([]T, string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		token := ""
		for {
			items, next, err := fetch(ctx, token)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}
