package mediagate

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// An Option configures Connect: credentials (a bearer token, TLS, a client certificate) and
// any other grpc.DialOption.
type Option func(*connectConfig)

type connectConfig struct {
	token      string
	tls        bool
	caFile     string
	certFile   string
	keyFile    string
	serverName string
	dial       []grpc.DialOption
}

// WithToken sends "authorization: Bearer <token>" on every call (the server's callers file
// holds its sha256; `python -m mediagate token` makes one). It is sent over plaintext too, so
// that a server on loopback with auth on and no TLS can be reached; anywhere else use WithTLS.
func WithToken(token string) Option {
	return func(c *connectConfig) { c.token = token }
}

// WithTLS speaks TLS and trusts the server certificates signed by the CA in caFile (PEM), or the
// system's trust store when caFile is "".
func WithTLS(caFile string) Option {
	return func(c *connectConfig) { c.tls, c.caFile = true, caFile }
}

// WithClientCertificate presents a client certificate (mutual TLS; the server maps its subject
// CN or a SAN to a caller). It implies TLS (with the system's trust store unless WithTLS names
// a CA).
func WithClientCertificate(certFile, keyFile string) Option {
	return func(c *connectConfig) { c.tls, c.certFile, c.keyFile = true, certFile, keyFile }
}

// WithServerName expects this name in the server's certificate instead of the target's host.
func WithServerName(name string) Option {
	return func(c *connectConfig) { c.serverName = name }
}

// WithDialOptions adds grpc.DialOptions (interceptors, keepalive, ...) to the connection.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(c *connectConfig) { c.dial = append(c.dial, opts...) }
}

// Connect opens a client connection to a mediagate server at target ("host:port"): plaintext
// and anonymous by default, with the credentials the options give. The caller closes it.
//
//	conn, err := mediagate.Connect("mediagate.internal:50051",
//		mediagate.WithTLS("/etc/mediagate/ca.pem"),
//		mediagate.WithToken(os.Getenv("MEDIAGATE_TOKEN")))
//	client := mediagatev1.NewAttachmentServiceClient(conn)
func Connect(target string, opts ...Option) (*grpc.ClientConn, error) {
	var c connectConfig
	for _, opt := range opts {
		opt(&c)
	}
	transport := insecure.NewCredentials()
	if c.tls {
		config, err := tlsConfig(c)
		if err != nil {
			return nil, err
		}
		transport = credentials.NewTLS(config)
	}
	dial := []grpc.DialOption{grpc.WithTransportCredentials(transport)}
	if c.token != "" {
		dial = append(dial, grpc.WithPerRPCCredentials(BearerToken(c.token)))
	}
	return grpc.NewClient(target, append(dial, c.dial...)...)
}

func tlsConfig(c connectConfig) (*tls.Config, error) {
	config := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.serverName}
	if c.caFile != "" {
		pem, err := os.ReadFile(c.caFile)
		if err != nil {
			return nil, fmt.Errorf("mediagate: TLS CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("mediagate: TLS CA %s: no PEM certificate in it", c.caFile)
		}
		config.RootCAs = pool
	}
	if c.certFile != "" || c.keyFile != "" {
		if c.certFile == "" || c.keyFile == "" {
			return nil, errors.New("mediagate: a client certificate needs both its cert and key files")
		}
		pair, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
		if err != nil {
			return nil, fmt.Errorf("mediagate: client certificate: %w", err)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return config, nil
}

// BearerToken is the token as per-RPC credentials, for connections made without Connect:
// grpc.WithPerRPCCredentials(mediagate.BearerToken(token)).
func BearerToken(token string) credentials.PerRPCCredentials {
	return bearerToken{header: map[string]string{"authorization": "Bearer " + token}}
}

type bearerToken struct{ header map[string]string }

func (b bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return b.header, nil
}

// RequireTransportSecurity is false so that the token also reaches a loopback server without
// TLS (a sidecar, the tests); over a network, Connect callers add WithTLS.
func (bearerToken) RequireTransportSecurity() bool { return false }
