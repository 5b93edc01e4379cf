package client_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/pkg/client"
)

// The public client obtains a token with client credentials, renews nothing it need not, and
// walks every page of a list.
func TestClientCredentialsAndPages(t *testing.T) {
	env := apitest.New(t)
	ctx := context.Background()
	_, secret, err := env.App.Accounts.CreateClient(ctx, auth.NewClient{ClientID: "loader", Name: "Loader", Roles: []string{"importer"}})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := client.NewClientCredentialsSource(env.Server.URL, "loader", secret)
	if err != nil {
		t.Fatal(err)
	}
	api, err := client.NewAuthorized(env.Server.URL, ts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		kind := client.InstitutionKind("agency")
		res, err := api.CreateInstitutionWithResponse(ctx, nil, client.InstitutionCreate{
			Code: fmt.Sprintf("PE-C%02d", i), Name: client.LocalizedText{Es: ptr("Unidad")}, Kind: kind, Tier: "national"})
		if err != nil || res.JSON201 == nil {
			t.Fatalf("create: %v %s", err, res.Body)
		}
	}
	size := 3
	var codes []string
	for inst, err := range client.Pages(ctx, func(ctx context.Context, tok string) ([]client.Institution, string, error) {
		res, err := api.ListInstitutionsWithResponse(ctx, &client.ListInstitutionsParams{PageSize: &size, PageToken: &tok})
		if err != nil || res.JSON200 == nil {
			return nil, "", fmt.Errorf("list: %v", err)
		}
		return res.JSON200.Items, res.JSON200.NextPageToken, nil
	}) {
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, inst.Code)
	}
	if len(codes) != 7 || codes[0] != "PE-C00" || codes[6] != "PE-C06" {
		t.Fatalf("pages walked: %v", codes)
	}
	// One token served all those requests.
	if n := env.Count(t, "audit_events", "action = 'auth.token_issue'"); n != 1 {
		t.Fatalf("token requests: %d", n)
	}

	bad, _ := client.NewClientCredentialsSource(env.Server.URL, "loader", "wrong")
	if _, err := bad.Token(ctx); err == nil {
		t.Fatal("a wrong secret must fail")
	}
}

func ptr[T any](v T) *T { return &v }
