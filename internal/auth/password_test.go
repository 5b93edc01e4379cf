package auth

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/puente-mre/puente/internal/actor"
)

// argonKey computes an argon2id key by hand, independently of HashPassword.
func argonKey(password, salt string, iters, memKiB uint32, threads uint8) string {
	return base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte(password), []byte(salt), iters, memKiB, threads, 32))
}

func TestHashPassword(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const password = "correct horse battery staple"
	h1, err := HashPassword(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := HashPassword(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{h1, h2} {
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("hash %q is not argon2id v19 with m=19456,t=2,p=1", h)
		}
		if parts := strings.Split(h, "$"); len(parts) != 6 || len(parts[4]) != 22 || len(parts[5]) != 43 {
			t.Errorf("hash %q: want a 16-byte salt and a 32-byte key, unpadded base64", h)
		}
		if strings.Contains(h, password) {
			t.Errorf("hash contains the password")
		}
	}
	if h1 == h2 {
		t.Errorf("two hashes of one password are equal (no salt?): %s", h1)
	}

	cases := []struct {
		name, hash, password string
		want                 bool
	}{
		{"right password", h1, password, true},
		{"right password, other salt", h2, password, true},
		{"wrong password", h1, "correct horse battery stapler", false},
		{"case matters", h1, strings.ToUpper(password), false},
		{"empty password", h1, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := VerifyPassword(ctx, tc.hash, tc.password)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("VerifyPassword = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVerifyPasswordOtherParameters(t *testing.T) {
	t.Parallel()
	// A hash made with other parameters still verifies: stored hashes survive raising them.
	// (argon2id of "password" with salt "somesaltsomesalt", m=1024, t=1, p=1, 32-byte key.)
	const weak = "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
	key := argonKey("password", "somesaltsomesalt", 1, 1024, 1)
	ok, err := VerifyPassword(context.Background(), weak+key, "password")
	if err != nil || !ok {
		t.Fatalf("VerifyPassword with m=1024,t=1 = %v, %v; want true", ok, err)
	}
	if ok, _ := VerifyPassword(context.Background(), weak+key, "Password"); ok {
		t.Fatal("wrong password accepted with other parameters")
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	t.Parallel()
	for _, hash := range []string{
		"",
		"plaintext",
		"$2a$10$abcdefghijklmnopqrstuuS8R3bS1e3sT3qRm1xk9D5Ww1qzQnFq2", // bcrypt
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=16$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=x,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$!!!",
	} {
		if ok, err := VerifyPassword(context.Background(), hash, "whatever"); err == nil || ok {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", hash, ok, err)
		}
	}
}

func TestScopesFor(t *testing.T) {
	t.Parallel()
	read := []string{ScopeCoordinationRead, ScopeDeliverablesRead, ScopeInstitutionsRead, ScopeMandatesRead, ScopePracticesRead, ScopeStocktakeRead}
	readWrite := []string{ScopeCoordinationRead, ScopeCoordinationWrite, ScopeDeliverablesRead, ScopeDeliverablesWrite, ScopeImportsRead, ScopeImportsWrite, ScopeInstitutionsRead, ScopeInstitutionsWrite, ScopeMandatesRead, ScopeMandatesWrite,
		ScopePracticesRead, ScopePracticesWrite, ScopeStocktakeRead, ScopeStocktakeWrite}
	cases := []struct {
		roles []actor.Role
		want  []string
	}{
		{nil, nil},
		{[]actor.Role{actor.Admin}, []string{ScopeAccountsManage, ScopeAuditRead, ScopeCoordinationRead, ScopeCoordinationWrite, ScopeDeliverablesApprove, ScopeDeliverablesRead, ScopeDeliverablesWrite, ScopeImportsRead, ScopeImportsWrite, ScopeInstitutionsRead, ScopeInstitutionsWrite, ScopeMandatesAdopt,
			ScopeMandatesRead, ScopeMandatesWrite, ScopePracticesRead, ScopePracticesReview, ScopePracticesWrite, ScopeStocktakeRead, ScopeStocktakeWrite}},
		{[]actor.Role{actor.Coordinator}, []string{ScopeAuditRead, ScopeCoordinationRead, ScopeCoordinationWrite, ScopeDeliverablesApprove, ScopeDeliverablesRead, ScopeDeliverablesWrite, ScopeImportsRead, ScopeImportsWrite, ScopeInstitutionsRead, ScopeInstitutionsWrite, ScopeMandatesAdopt, ScopeMandatesRead,
			ScopeMandatesWrite, ScopePracticesRead, ScopePracticesReview, ScopePracticesWrite, ScopeStocktakeRead, ScopeStocktakeWrite}},
		{[]actor.Role{actor.Editor}, readWrite},
		{[]actor.Role{actor.Partner}, []string{ScopeCoordinationRead, ScopeCoordinationWrite, ScopeDeliverablesRead, ScopeImportsRead, ScopeImportsWrite, ScopeInstitutionsRead, ScopeInstitutionsWrite, ScopeMandatesRead, ScopePracticesRead,
			ScopePracticesWrite, ScopeStocktakeRead, ScopeStocktakeWrite}},
		{[]actor.Role{actor.Importer}, readWrite},
		{[]actor.Role{actor.Viewer}, read},
		{[]actor.Role{actor.Viewer, actor.Editor, actor.Viewer}, readWrite}, // union, sorted, no duplicates
		{[]actor.Role{"superuser"}, nil},
	}
	for _, tc := range cases {
		if got := ScopesFor(tc.roles); !slices.Equal(got, tc.want) {
			t.Errorf("ScopesFor(%v) = %v, want %v", tc.roles, got, tc.want)
		}
	}
	// Every role the system knows has scopes.
	for _, r := range actor.Roles {
		if len(ScopesFor([]actor.Role{r})) == 0 {
			t.Errorf("role %s grants no scope", r)
		}
	}
}

func TestParseRoles(t *testing.T) {
	t.Parallel()
	got := ParseRoles([]string{" Admin ", "viewer", "root", "admin", ""})
	if want := []actor.Role{actor.Admin, actor.Viewer}; !slices.Equal(got, want) {
		t.Errorf("ParseRoles = %v, want %v", got, want)
	}
}

func TestNarrow(t *testing.T) {
	t.Parallel()
	allowed := []string{ScopeInstitutionsRead, ScopeInstitutionsWrite}
	cases := []struct {
		name, requested string
		want            []string
		ok              bool
	}{
		{"nothing requested", "", allowed, true},
		{"blank", "   ", allowed, true},
		{"subset", ScopeInstitutionsRead, []string{ScopeInstitutionsRead}, true},
		{"all, reordered and repeated", "institutions:write institutions:read  institutions:write", allowed, true},
		{"beyond", "institutions:read audit:read", nil, false},
		{"unknown", "everything", nil, false},
		{"prefix is not a scope", "institutions", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := narrow(allowed, tc.requested)
			if ok != tc.ok || !slices.Equal(got, tc.want) {
				t.Errorf("narrow(%q) = %v, %v; want %v, %v", tc.requested, got, ok, tc.want, tc.ok)
			}
		})
	}
	if got, ok := narrow(nil, ScopeInstitutionsRead); ok || got != nil {
		t.Errorf("narrow of nothing allowed = %v, %v", got, ok)
	}
}
