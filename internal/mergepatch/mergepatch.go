// Package mergepatch applies JSON Merge Patches (RFC 7396) to a resource's writable
// representation, so every PATCH in the API behaves the same way.
package mergepatch

import (
	"encoding/json"
	"fmt"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/puente-mre/puente/internal/apperr"
)

// Apply encodes current as JSON, merges patch into it and decodes the result into out. The
// contract has already checked the patch's shape; what the merged document means is for the
// caller's domain rules to judge.
//
// Errors: Invalid when the patch is not a JSON object.
func Apply(current any, patch []byte, out any) error {
	doc, err := json.Marshal(current)
	if err != nil {
		return fmt.Errorf("encode current state: %w", err)
	}
	merged, err := jsonpatch.MergePatch(doc, patch)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the body is not a JSON merge patch")
	}
	if err := json.Unmarshal(merged, out); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the patched document does not decode")
	}
	return nil
}
