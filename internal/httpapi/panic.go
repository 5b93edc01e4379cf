package httpapi

import (
	"log/slog"

	"github.com/labstack/echo/v4"
)

// logPanic logs a recovered panic with its stack; the client gets a 500 problem with the
// request id and nothing else.
func logPanic(c echo.Context, err error, stack []byte) error {
	slog.ErrorContext(c.Request().Context(), "panic", "error", err, "stack", string(stack),
		"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	return err
}
