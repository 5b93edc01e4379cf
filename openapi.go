// Package puente holds the API contract, openapi.yaml, so the binary can serve it verbatim.
package puente

import _ "embed"

// OpenAPIYAML is openapi.yaml as written.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte
