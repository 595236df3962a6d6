package playground

// Internals for the tests in package playground_test.
var (
	AppendString = appendString
	AppendFloat  = appendFloat
)
