package mediagate

import (
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// Domain is the google.rpc.ErrorInfo domain of every mediagate error.
const Domain = "mediagate.v1"

const (
	rejectionPrefix = "REJECTION_REASON_"
	errorPrefix     = "ERROR_REASON_"
)

// Detail is one google.rpc.ErrorInfo of a failed call.
type Detail struct {
	// Reason as sent: a RejectionReason or ErrorReason value name without its prefix,
	// e.g. "TYPE_MISMATCH" or "ATTACHMENT_NOT_FOUND".
	Reason string
	// Enum is Reason as a generated enum value: a mediagatev1.RejectionReason (why a file was
	// refused) or a mediagatev1.ErrorReason (anything else). It is nil when the reason is not
	// one this client knows (a newer server) or the domain is not Domain. Compare it directly:
	//
	//	d.Enum == mediagatev1.RejectionReason_REJECTION_REASON_TYPE_MISMATCH
	Enum protoreflect.Enum
	// Metadata are the facts that explain it: detected_mime_type, declared_mime_type, limit,
	// actual, part, kind, field, profile, as they apply. Never nil.
	Metadata map[string]string
	// Domain is the ErrorInfo domain; Domain for every error mediagate raises.
	Domain string
}

// RejectionReason returns the reason as a RejectionReason, if it is one.
func (d Detail) RejectionReason() (mediagatev1.RejectionReason, bool) {
	r, ok := d.Enum.(mediagatev1.RejectionReason)
	return r, ok
}

// ErrorReason returns the reason as an ErrorReason, if it is one.
func (d Detail) ErrorReason() (mediagatev1.ErrorReason, bool) {
	r, ok := d.Enum.(mediagatev1.ErrorReason)
	return r, ok
}

// ErrorDetails returns every google.rpc.ErrorInfo in err's gRPC status, in the server's order
// (for a refused file, the most decisive reason first). It returns nil when err carries no
// gRPC status or the status has no ErrorInfo.
func ErrorDetails(err error) []Detail {
	st, ok := status.FromError(err)
	if !ok || st == nil {
		return nil
	}
	var found []Detail
	for _, x := range st.Details() {
		info, ok := x.(*errdetails.ErrorInfo)
		if !ok {
			continue
		}
		d := Detail{Reason: info.GetReason(), Domain: info.GetDomain(), Metadata: map[string]string{}}
		for k, v := range info.GetMetadata() {
			d.Metadata[k] = v
		}
		if d.Domain == Domain {
			d.Enum = ReasonEnum(d.Reason)
		}
		found = append(found, d)
	}
	return found
}

// ReasonEnum maps an ErrorInfo reason ("TOO_LARGE") to its RejectionReason or ErrorReason
// value, or nil when it names neither.
func ReasonEnum(reason string) protoreflect.Enum {
	if reason == "" || strings.HasSuffix(reason, "UNSPECIFIED") {
		return nil
	}
	if v, ok := mediagatev1.RejectionReason_value[rejectionPrefix+reason]; ok {
		return mediagatev1.RejectionReason(v)
	}
	if v, ok := mediagatev1.ErrorReason_value[errorPrefix+reason]; ok {
		return mediagatev1.ErrorReason(v)
	}
	return nil
}

// ReasonName is the inverse of ReasonEnum: the ErrorInfo reason of a RejectionReason or
// ErrorReason value ("TOO_LARGE"), or "" for anything else.
func ReasonName(e protoreflect.Enum) string {
	switch v := e.(type) {
	case mediagatev1.RejectionReason:
		return strings.TrimPrefix(v.String(), rejectionPrefix)
	case mediagatev1.ErrorReason:
		return strings.TrimPrefix(v.String(), errorPrefix)
	}
	return ""
}

// HasReason reports whether err's status carries an ErrorInfo with the given reason, a
// mediagatev1.RejectionReason or mediagatev1.ErrorReason value.
func HasReason(err error, reason protoreflect.Enum) bool {
	for _, d := range ErrorDetails(err) {
		if d.Enum != nil && d.Enum == reason {
			return true
		}
	}
	return false
}

// RetryDelay returns the google.rpc.RetryInfo delay of err's status (sent with OVERLOADED),
// and whether there was one.
func RetryDelay(err error) (time.Duration, bool) {
	st, ok := status.FromError(err)
	if !ok || st == nil {
		return 0, false
	}
	for _, x := range st.Details() {
		if info, ok := x.(*errdetails.RetryInfo); ok && info.GetRetryDelay() != nil {
			return info.GetRetryDelay().AsDuration(), true
		}
	}
	return 0, false
}
