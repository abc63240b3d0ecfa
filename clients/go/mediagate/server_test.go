package mediagate_test

// TestMain starts a real mediagate server (the repository's Python one) on a free port with a
// temporary data folder, and every test in this package talks to it through `client`.
//
// MEDIAGATE_PYTHON names the Python that has mediagate installed; by default it is the
// repository's .venv (../../.venv/bin/python from clients/go).
//
// Every test server has auth on: TestMain first makes a callers file, tokens and certificates
// for this run (python -m tests.support.client_credentials), alice of tenant acme is the
// suite's caller and bob of tenant globex the other tenant.

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

var (
	client    mediagatev1.AttachmentServiceClient
	suiteAddr string // the suite's server, for connections as other callers
	creds     *testCredentials
)

// testCredentials are the files tests/support/client_credentials.py wrote for this run.
type testCredentials struct {
	dir        string
	aliceToken string
	bobToken   string
}

func (c *testCredentials) path(name string) string { return filepath.Join(c.dir, name) }

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	creds, err = makeCredentials()
	if err != nil {
		fmt.Fprintln(os.Stderr, "test credentials:", err)
		return 1
	}
	defer os.RemoveAll(creds.dir)
	srv, err := startServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mediagate test server:", err)
		return 1
	}
	conn, err := mediagate.Connect(srv.addr, mediagate.WithToken(creds.aliceToken))
	if err != nil {
		fmt.Fprintln(os.Stderr, "connecting to the test server:", err)
		srv.stop()
		return 1
	}
	client = mediagatev1.NewAttachmentServiceClient(conn)
	suiteAddr = srv.addr

	code := m.Run()

	conn.Close()
	if err := srv.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "mediagate test server:", err)
		code = max(code, 1)
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "--- mediagate server log (last lines) ---\n%s", srv.log.String())
	}
	return code
}

// How long the server may take to start or to stop: bounds on waiting for its own signals
// (the ready line, its exit), not a synchronisation delay.
const (
	startTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

var listening = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)

type server struct {
	cmd     *exec.Cmd
	addr    string
	dataDir string
	log     *tail
	drained chan struct{} // closed when stderr reaches EOF
	exited  chan error    // receives cmd.Wait's result
}

// startServer starts a server with the settings every test server has, plus extraEnv
// ("KEY=value" entries, which win).
func startServer(extraEnv ...string) (*server, error) {
	python, err := pythonPath()
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp("", "mediagate-go-test-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(python, "-m", "mediagate", "serve")
	cmd.Env = append(os.Environ(),
		"MEDIAGATE_PORT=0",
		"MEDIAGATE_HOST=127.0.0.1",
		"MEDIAGATE_DATA_DIR="+dataDir,
		"MEDIAGATE_WORKERS=1",
		// Its HTTP media endpoint on a free port too (the default is 8080), so that several
		// servers (this suite's, another client's) can run at once.
		"MEDIAGATE_MEDIA_PORT=0",
		"MEDIAGATE_METRICS_PORT=0",
		// Auth on: only the callers of this run's file get in.
		"MEDIAGATE_AUTH_CALLERS_FILE="+creds.path("callers.toml"),
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	// Its own process group, so that a server that will not stop can be killed with the
	// workers it started, and nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("starting %s -m mediagate serve: %w", python, err)
	}
	s := &server{cmd: cmd, dataDir: dataDir, log: &tail{max: 200}, drained: make(chan struct{}), exited: make(chan error, 1)}

	ready := make(chan string, 1)
	go func() {
		// Read every line until EOF, also after the ready line, so the server never blocks
		// on a full pipe.
		defer close(s.drained)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.log.add(line)
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case ready <- m[1]:
				default:
				}
			}
		}
	}()
	go func() {
		<-s.drained // Wait closes the pipe: read it to the end first
		s.exited <- cmd.Wait()
	}()

	select {
	case s.addr = <-ready:
		return s, nil
	case <-s.drained:
		err = errors.New("the server closed its stderr before it was listening")
	case <-time.After(startTimeout):
		err = fmt.Errorf("no %q line within %s", "listening on", startTimeout)
	}
	s.stop()
	return nil, fmt.Errorf("%w\n%s", err, s.log.String())
}

// stop sends SIGTERM and waits for the server to exit; it fails if the exit was not clean.
func (s *server) stop() error {
	defer os.RemoveAll(s.dataDir)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case err := <-s.exited:
		if err != nil {
			return fmt.Errorf("the server did not exit cleanly after SIGTERM: %w", err)
		}
		return nil
	case <-time.After(stopTimeout):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
		return fmt.Errorf("the server was still running %s after SIGTERM; killed", stopTimeout)
	}
}

// makeCredentials runs tests/support/client_credentials.py from the repository root into a
// temporary folder and reads the two tokens back.
func makeCredentials() (*testCredentials, error) {
	python, err := pythonPath()
	if err != nil {
		return nil, err
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mediagate-go-credentials-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(python, "-m", "tests.support.client_credentials", dir)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "PYTHONPATH="+root+string(os.PathListSeparator)+os.Getenv("PYTHONPATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%s -m tests.support.client_credentials: %w\n%s", python, err, out)
	}
	c := &testCredentials{dir: dir}
	for name, token := range map[string]*string{"alice.token": &c.aliceToken, "bob.token": &c.bobToken} {
		b, err := os.ReadFile(c.path(name))
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		*token = strings.TrimSpace(string(b))
	}
	return c, nil
}

// pythonPath is $MEDIAGATE_PYTHON, or the repository's .venv seen from the module root.
func pythonPath() (string, error) {
	if p := os.Getenv("MEDIAGATE_PYTHON"); p != "" {
		return p, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", fmt.Errorf("%w; set MEDIAGATE_PYTHON", err)
	}
	p := filepath.Join(root, ".venv", "bin", "python")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s: %w (run `make setup` at the repository root, or set MEDIAGATE_PYTHON)", p, err)
	}
	return p, nil
}

// repoRoot is the repository's root: two folders above the module root (clients/go).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Clean(filepath.Join(dir, "..", "..")), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// tail keeps the last max lines of the server's log, printed when a test fails.
type tail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n") + "\n"
}
