package mediagate_test

// Credentials against real servers with auth on: the suite's plaintext one (bearer tokens on
// loopback) and one with mutual TLS, started here with this run's certificates.

import (
	"bytes"
	"context"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// clientAs connects to addr with opts; the connection closes when the test ends.
func clientAs(t *testing.T, addr string, opts ...mediagate.Option) mediagatev1.AttachmentServiceClient {
	t.Helper()
	conn, err := mediagate.Connect(addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return mediagatev1.NewAttachmentServiceClient(conn)
}

func uploadPNG(t *testing.T, ctx context.Context, c mediagatev1.AttachmentServiceClient, name string) *mediagatev1.Attachment {
	t.Helper()
	att, err := mediagate.Upload(ctx, c, bytes.NewReader(gradientPNG(t, 24, 16)), &mediagatev1.UploadHeader{FileName: name})
	if err != nil {
		t.Fatalf("upload %s: %v %+v", name, err, mediagate.ErrorDetails(err))
	}
	return att
}

// wantRefusal checks the status code and that the ErrorInfo reason is `reason`.
func wantRefusal(t *testing.T, what string, err error, code codes.Code, reason mediagatev1.ErrorReason) {
	t.Helper()
	if status.Code(err) != code || !mediagate.HasReason(err, reason) {
		t.Errorf("%s: got %v %+v, want %s with %s", what, status.Code(err), mediagate.ErrorDetails(err), code, reason)
	}
}

func TestCallsWithoutAValidTokenAreUnauthenticated(t *testing.T) {
	ctx := testContext(t)
	att := uploadPNG(t, ctx, client, "mine.png")
	addr := suiteAddr
	get := &mediagatev1.GetAttachmentRequest{Name: att.GetName()}

	_, err := clientAs(t, addr).GetAttachment(ctx, get)
	wantRefusal(t, "no token", err, codes.Unauthenticated, mediagatev1.ErrorReason_ERROR_REASON_UNAUTHENTICATED)

	_, err = clientAs(t, addr, mediagate.WithToken("mgt_not-a-token-anyone-was-given")).GetAttachment(ctx, get)
	wantRefusal(t, "unknown token", err, codes.Unauthenticated, mediagatev1.ErrorReason_ERROR_REASON_UNAUTHENTICATED)

	// Streams carry the token as well: an anonymous upload is refused, alice's is not.
	_, err = mediagate.Upload(ctx, clientAs(t, addr), bytes.NewReader(gradientPNG(t, 8, 8)), &mediagatev1.UploadHeader{FileName: "anon.png"})
	wantRefusal(t, "anonymous upload", err, codes.Unauthenticated, mediagatev1.ErrorReason_ERROR_REASON_UNAUTHENTICATED)
}

func TestAnotherTenantsAttachmentIsNotFound(t *testing.T) {
	ctx := testContext(t)
	att := uploadPNG(t, ctx, client, "alice.png")
	bob := clientAs(t, suiteAddr, mediagate.WithToken(creds.bobToken))
	notFound := mediagatev1.ErrorReason_ERROR_REASON_ATTACHMENT_NOT_FOUND

	_, err := bob.GetAttachment(ctx, &mediagatev1.GetAttachmentRequest{Name: att.GetName()})
	wantRefusal(t, "bob gets alice's attachment", err, codes.NotFound, notFound)
	var sink bytes.Buffer
	_, err = mediagate.DownloadTo(ctx, bob, att.GetName(), &sink)
	wantRefusal(t, "bob downloads it", err, codes.NotFound, notFound)
	if sink.Len() != 0 {
		t.Errorf("bob received %d bytes of alice's attachment", sink.Len())
	}
	_, err = bob.DeleteAttachment(ctx, &mediagatev1.DeleteAttachmentRequest{Name: att.GetName()})
	wantRefusal(t, "bob deletes it", err, codes.NotFound, notFound)
	list, err := bob.ListAttachments(ctx, &mediagatev1.ListAttachmentsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list.GetAttachments() {
		if a.GetName() == att.GetName() {
			t.Errorf("bob's list shows alice's %s", a.GetName())
		}
	}

	// Still there for alice.
	if _, err := client.GetAttachment(ctx, &mediagatev1.GetAttachmentRequest{Name: att.GetName()}); err != nil {
		t.Errorf("alice's own attachment: %v", err)
	}
}

func TestMutualTLS(t *testing.T) {
	ctx := testContext(t)
	srv, err := startServer(
		"MEDIAGATE_TLS_CERT_FILE="+creds.path("server.crt"),
		"MEDIAGATE_TLS_KEY_FILE="+creds.path("server.key"),
		"MEDIAGATE_TLS_CLIENT_CA_FILE="+creds.path("ca.pem"),
	)
	if err != nil {
		t.Fatalf("mediagate server with mutual TLS: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.stop(); err != nil {
			t.Errorf("mediagate server with mutual TLS: %v", err)
		}
		if t.Failed() {
			t.Logf("--- TLS server log (last lines) ---\n%s", srv.log)
		}
	})
	tlsTo := mediagate.WithTLS(creds.path("ca.pem"))
	aliceCert := mediagate.WithClientCertificate(creds.path("alice.crt"), creds.path("alice.key"))

	// The certificate alone is alice (CN=alice in the callers file).
	alice := clientAs(t, srv.addr, tlsTo, aliceCert)
	att := uploadPNG(t, ctx, alice, "over-tls.png")
	got, err := alice.GetAttachment(ctx, &mediagatev1.GetAttachmentRequest{Name: att.GetName()})
	if err != nil || got.GetSha256() != att.GetSha256() {
		t.Fatalf("alice over mutual TLS: %v %v", got, err)
	}

	// With a certificate and a token, the token decides: bob's tenant does not have it.
	bob := clientAs(t, srv.addr, tlsTo, aliceCert, mediagate.WithToken(creds.bobToken))
	_, err = bob.GetAttachment(ctx, &mediagatev1.GetAttachmentRequest{Name: att.GetName()})
	wantRefusal(t, "bob's token over alice's certificate", err, codes.NotFound, mediagatev1.ErrorReason_ERROR_REASON_ATTACHMENT_NOT_FOUND)

	// No client certificate, or no TLS: the connection itself fails.
	for what, c := range map[string]mediagatev1.AttachmentServiceClient{
		"TLS without a client certificate": clientAs(t, srv.addr, tlsTo, mediagate.WithToken(creds.aliceToken)),
		"plaintext":                        clientAs(t, srv.addr, mediagate.WithToken(creds.aliceToken)),
	} {
		_, err := c.ListProfiles(ctx, &mediagatev1.ListProfilesRequest{}, grpc.WaitForReady(false))
		if status.Code(err) != codes.Unavailable {
			t.Errorf("%s: got %v, want UNAVAILABLE", what, err)
		}
	}
}
