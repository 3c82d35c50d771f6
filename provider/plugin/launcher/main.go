// Command pulumi-resource-vercel-client-certs.exe is the Windows launcher of the vercel-client-certs provider
// plugin, shipped in the windows release archives beside plugin.js and the .cmd launcher.
//
// Why an .exe and not only the .cmd: `pulumi install` and `pulumi package add` accept only
// pulumi-resource-<name>.exe (or a PulumiPlugin.yaml) in a Windows plugin folder
// (pkg/cmd/pulumi/packageinstallation/packageinstallation.go, ensureProjectDir), so a .cmd-only archive fails
// there with "file does not exist". Everything else Pulumi does probes .exe first, then .cmd.
//
// It does what the sh and .cmd launchers do: runs plugin.js, beside its own real path, with the node on PATH
// (Node.js >= 20; plugin.js refuses older ones in words), passing the arguments, the standard streams and the
// exit code through. Built by scripts/launchers.js with GOOS=windows, -trimpath and no build id.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
)

// banner names the plugin and its version; scripts/launchers.js sets it with -ldflags -X.
var banner = "pulumi-resource-vercel-client-certs (development build)"

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", banner, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func main() {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		fail("cannot find its own path: %v", err)
	}
	script := filepath.Join(filepath.Dir(self), "plugin.js")
	if _, err := os.Stat(script); err != nil {
		fail("plugin.js is missing beside %s: reinstall the plugin", self)
	}
	// exec.LookPath honours PATHEXT and never takes node from the current directory.
	node, err := exec.LookPath("node")
	if err != nil {
		fail("needs Node.js >= 20 on PATH (node was not found)")
	}
	// Ctrl+C reaches every process of the console; node decides how to stop, and this launcher reports its exit.
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(node, append([]string{script}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fail("cannot run %s: %v", node, err)
	}
}
