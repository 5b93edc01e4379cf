package imports

// Engine runs imports as jobs and answers for them.
type Engine struct {
	registry Registry
}
