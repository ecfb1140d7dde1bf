package itf

import (
	"strconv"
	"strings"
)

// String returns a compact, human-readable form of v in a Quint-like
// notation, meant for messages and logs, not for parsing:
//
//	true  42  "text"          booleans, integers, strings (quoted)
//	[1, 2]                    list
//	(1, "x")  ()              tuple, unit
//	{1, 2}                    set
//	Map(1 -> "a", 2 -> "b")   map
//	{x: 1, y: true}           record
//	Some(3)  None             variant (the payload is omitted when it is unit)
//	Promise{bal: 1}           variant whose payload is a record
//	<unserializable: Int>     unserializable
//	<invalid>                 the zero Value
//
// An empty set and an empty record are both written {}.
func (v Value) String() string {
	var sb strings.Builder
	writeValue(&sb, v)
	return sb.String()
}

func writeValue(sb *strings.Builder, v Value) {
	switch v.kind {
	case KindBool:
		sb.WriteString(strconv.FormatBool(v.num != 0))
	case KindInt:
		if b := v.bigOrNil(); b != nil {
			sb.WriteString(b.String())
		} else {
			sb.WriteString(strconv.FormatInt(v.num, 10))
		}
	case KindString:
		sb.WriteString(strconv.Quote(v.str))
	case KindList:
		writeElems(sb, "[", v.Elems(), "]")
	case KindTuple:
		writeElems(sb, "(", v.Elems(), ")")
	case KindSet:
		writeElems(sb, "{", v.Elems(), "}")
	case KindMap:
		sb.WriteString("Map(")
		for i, e := range v.Entries() {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeValue(sb, e.Key)
			sb.WriteString(" -> ")
			writeValue(sb, e.Value)
		}
		sb.WriteByte(')')
	case KindRecord:
		sb.WriteByte('{')
		for i, f := range v.Fields() {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(f.Name)
			sb.WriteString(": ")
			writeValue(sb, f.Value)
		}
		sb.WriteByte('}')
	case KindVariant:
		sb.WriteString(v.str)
		p := v.Payload()
		if p.kind == KindTuple && p.Len() == 0 {
			return
		}
		if p.kind == KindRecord && p.Len() > 0 {
			writeValue(sb, p)
			return
		}
		sb.WriteByte('(')
		writeValue(sb, p)
		sb.WriteByte(')')
	case KindNull:
		sb.WriteString("null")
	case KindUnserializable:
		sb.WriteString("<unserializable: ")
		sb.WriteString(v.str)
		sb.WriteByte('>')
	default:
		sb.WriteString("<invalid>")
	}
}

func writeElems(sb *strings.Builder, open string, elems []Value, close string) {
	sb.WriteString(open)
	for i, e := range elems {
		if i > 0 {
			sb.WriteString(", ")
		}
		writeValue(sb, e)
	}
	sb.WriteString(close)
}
