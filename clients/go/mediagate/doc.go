// Package mediagate is a small helper over the generated mediagate.v1 gRPC stub
// (package mediagatev1): chunked uploads with the header first, downloads to a writer or a
// file, and the rich error details (google.rpc.ErrorInfo) as typed values.
//
// The helpers take a mediagatev1.AttachmentServiceClient, so the caller owns the connection.
// Connect makes one with credentials: a bearer token (WithToken, sent as
// "authorization: Bearer <token>" on every call), TLS (WithTLS) and a client certificate
// (WithClientCertificate, mutual TLS):
//
//	conn, err := mediagate.Connect("mediagate.internal:50051",
//		mediagate.WithTLS("ca.pem"), mediagate.WithToken(os.Getenv("MEDIAGATE_TOKEN")))
//	client := mediagatev1.NewAttachmentServiceClient(conn)
//	att, err := mediagate.Upload(ctx, client, f, &mediagatev1.UploadHeader{FileName: "cat.jpg"})
//	if err != nil {
//		for _, d := range mediagate.ErrorDetails(err) {
//			fmt.Println(d.Reason, d.Metadata) // e.g. TYPE_MISMATCH map[declared_mime_type:...]
//		}
//	}
//
// Errors that come from the server are returned unwrapped, so status.Code(err) and
// ErrorDetails(err) work on them directly.
package mediagate

// Version is this client's version, which follows mediagate's own. The Go module is released
// by tagging the repository "clients/go/vX.Y.Z".
const Version = "0.1.0"
