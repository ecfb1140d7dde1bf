// Package bytesize is the one parser and formatter of byte sizes for every
// flag and message of execspec, so that "50MiB" means the same everywhere.
//
// Units are binary: KiB = 1024 bytes, MiB = 1024 KiB, GiB, TiB. Because
// "MB" is what most people type, the decimal-looking spellings K, KB, M,
// MB, G, GB, T and TB are accepted too and mean the binary units: 500MB is
// 500 MiB, 524,288,000 bytes, not 500,000,000. A bare number counts bytes.
// Units are case-insensitive, fractions are allowed ("1.5GiB") and white
// space may separate the number from its unit.
package bytesize

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

var units = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
}

// Parse reads a size such as "50MiB", "1.5GiB", "200KB" or "1000". It
// accepts 0; callers decide what 0 means. Negative sizes, unknown units
// and sizes beyond the int64 range are errors.
func Parse(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') && t[i-1] != '.' {
		i--
	}
	num, unit := strings.TrimSpace(t[:i]), strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := units[unit]
	x, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, fmt.Errorf("%q is not a size such as 50MiB, 2GiB or 1000000 (units KiB, MiB, GiB, TiB; KB, MB, GB, TB mean the same)", s)
	}
	n := x * float64(mult)
	if n >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is too large a size", s)
	}
	return int64(n), nil
}

// Format writes n for messages in the same units: "812 B", "3.4 MiB".
func Format(n int64) string {
	switch {
	case n >= 1<<40:
		return strconv.FormatFloat(float64(n)/(1<<40), 'f', 1, 64) + " TiB"
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
