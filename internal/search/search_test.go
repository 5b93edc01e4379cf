package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	cases := map[string][]string{
		"Protección  nacional":        {"protección", "nacional"},
		"PE-MRE & | ! :* 'x'":         {"pe", "mre", "x"},
		"":                            nil,
		"   ":                         nil,
		"a b c d e f g h i j k l m n": {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
	}
	for in, want := range cases {
		if got := Words(in); len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConditionKeepsWordsOutOfSQL(t *testing.T) {
	sql, args, ok := Condition("search", "'); DROP TABLE x; --")
	if !ok || strings.Contains(sql, "DROP") || len(args) != 9 {
		t.Fatalf("sql %q args %v", sql, args)
	}
	if _, _, ok := Condition("search", "!!!"); ok {
		t.Fatal("a query without words must not produce a condition")
	}
}
