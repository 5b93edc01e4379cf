// Package api holds the server code generated from openapi.yaml. Never edit *.gen.go: change the
// contract and run `make generate`.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../openapi.yaml
//go:generate go tool oapi-codegen -config spec.yaml ../openapi.yaml
//go:generate go tool oapi-codegen -config ../pkg/client/oapi-codegen.yaml ../openapi.yaml
