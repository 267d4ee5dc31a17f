#!/usr/bin/env python3
"""Boot-test runner: boots an image under QEMU or Bochs and judges the serial log.

Each scenario is a TOML file (see tests/boot/README.md). The runner builds the
emulator command from the declared machine, captures the serial output to a
log, and passes when every `expect` line appeared in order and no `forbid` line
appeared, before `timeout`. The emulator is always killed; the log is kept;
on failure the log's tail is printed. It never hangs: every wait is bounded.
"""
import argparse
import os
import pty
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import tty

DEFAULT_FORBID = ["PANIC", "Unexpected exception", "BUG at", "ASSERT failed"]
GRACE_SECONDS = 0.5  # keep reading after the last expected line for late errors
AAVMF_CODE = "/usr/share/AAVMF/AAVMF_CODE.fd"
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"


class Scenario:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = tomllib.load(f)
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        d = self.data
        self.machine = d["machine"]
        self.image = d.get("image", "")
        self.timeout = float(d.get("timeout", 60))
        self.expect = list(d.get("expect", []))
        self.forbid = DEFAULT_FORBID + list(d.get("forbid", []))
        if not self.expect:
            raise ValueError(f"{path}: a scenario needs at least one expect line")

    def get(self, key, default=None):
        return self.data.get(key, default)


def subst(s, env):
    for k, v in env.items():
        s = s.replace("{" + k + "}", v)
    return s


def qemu_firmware_args(sc, tmp):
    fw = sc.get("firmware", "")
    if fw == "":
        return []
    if fw == "ovmf":
        vars_copy = os.path.join(tmp, "OVMF_VARS.fd")
        shutil.copy(OVMF_VARS, vars_copy)
        return ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
                "-drive", f"if=pflash,format=raw,file={vars_copy}"]
    if fw == "aavmf":
        code = os.path.join(tmp, "AAVMF_CODE.fd")
        varsf = os.path.join(tmp, "AAVMF_VARS.fd")
        # pflash images must be exactly 64 MiB on virt
        with open(AAVMF_CODE, "rb") as src, open(code, "wb") as dst:
            dst.write(src.read())
            dst.truncate(64 << 20)
        with open(varsf, "wb") as dst:
            dst.truncate(64 << 20)
        return ["-drive", f"if=pflash,format=raw,readonly=on,file={code}",
                "-drive", f"if=pflash,format=raw,file={varsf}"]
    raise ValueError(f"unknown firmware '{fw}'")


def qemu_arm64_cmd(sc, env, tmp):
    gic = sc.get("gic", 3)
    cmd = ["qemu-system-aarch64", "-M", f"virt,virtualization=on,gic-version={gic}",
           "-cpu", sc.get("cpu", "max,pauth-impdef=on"),
           "-smp", str(sc.get("smp", 1)), "-m", f"{sc.get('memory', 512)}M",
           "-nographic", "-no-reboot", "-monitor", "none", "-serial", "stdio"]
    cmd += qemu_firmware_args(sc, tmp)
    if sc.image and not sc.get("firmware"):
        cmd += ["-kernel", env["image"]]
        if sc.get("cmdline") is not None:
            cmd += ["-append", sc.get("cmdline")]
    for m in sc.get("modules", []):
        opt = f"guest-loader,addr={m['addr']},{m.get('kind', 'kernel')}={subst(m['file'], env)}"
        if m.get("cmdline"):
            opt += f",bootargs={m['cmdline']}"
        cmd += ["-device", opt]
    return cmd


def qemu_x86_cmd(sc, env, tmp):
    cmd = ["qemu-system-x86_64", "-M", sc.get("qemu_machine", "q35"),
           "-cpu", sc.get("cpu", "max"), "-smp", str(sc.get("smp", 1)),
           "-m", f"{sc.get('memory', 512)}M", "-nographic", "-no-reboot",
           "-monitor", "none", "-serial", "stdio"]
    cmd += qemu_firmware_args(sc, tmp)
    if sc.image.endswith(".iso"):
        cmd += ["-cdrom", env["image"]]
    elif sc.image:
        cmd += ["-drive", f"format=raw,file={env['image']}"]
    return cmd


class PtyCapture:
    """A pseudo-terminal whose output is copied to a log file as it arrives.

    Bochs buffers its file-mode serial output until exit; its term mode
    writes each byte to a tty at once, so the judge sees output live.
    """

    def __init__(self, log_path):
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        self.name = os.ttyname(self.slave)
        self.log = open(log_path, "wb")
        self.thread = threading.Thread(target=self._copy, daemon=True)
        self.thread.start()

    def _copy(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                break
            if not data:
                break
            self.log.write(data)
            self.log.flush()

    def close(self):
        os.close(self.slave)
        os.close(self.master)
        self.thread.join(timeout=2)
        self.log.close()


def bochs_cmd(sc, env, tmp, serial_dev):
    rc = os.path.join(tmp, "bochsrc")
    cont = os.path.join(tmp, "bochs-cont")
    firmware = sc.get("firmware", "")
    rom = ("romimage: file=/usr/share/ovmf/OVMF.fd, address=0xffe00000"
           if firmware == "ovmf" else "romimage: file=$BXSHARE/BIOS-bochs-latest")
    lines = [
        rom,
        "vgaromimage: file=$BXSHARE/VGABIOS-lgpl-latest",
        f"cpu: model={sc.get('cpu', 'corei7_haswell_4770')}, count={sc.get('smp', 1)}, "
        "ips=50000000, reset_on_triple_fault=0",
        f"memory: guest={sc.get('memory', 256)}, host={sc.get('memory', 256)}",
        f"ata0-master: type=cdrom, path={env['image']}, status=inserted",
        "boot: cdrom",
        "display_library: rfb, options=\"timeout=0\"",
        "sound: driver=dummy",
        "clock: sync=none, time0=local",
        f"com1: enabled=1, mode=term, dev={serial_dev}",
        "log: /dev/null",
        "panic: action=fatal",
        "error: action=report",
        "info: action=ignore",
        "debug: action=ignore",
        "mouse: enabled=0",
    ]
    lines += sc.get("bochsrc_extra", [])
    with open(rc, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(cont, "w") as f:
        f.write("continue\n")
    return ["bochs", "-q", "-unlock", "-f", rc, "-rc", cont]


class Judge:
    """Matches expected lines in order and watches for forbidden ones."""

    def __init__(self, expect, forbid):
        self.expect, self.forbid = expect, forbid
        self.next = 0
        self.bad = None
        self.partial = ""  # a line not finished yet: judged when complete

    def feed(self, text, final=False):
        text, self.partial = self.partial + text, ""
        lines = text.split("\n")
        if not final:
            self.partial = lines.pop()
        for line in lines:
            if self.bad is None:
                for f in self.forbid:
                    if f in line:
                        self.bad = line.strip()
            if self.next < len(self.expect) and self.expect[self.next] in line:
                self.next += 1

    def done(self):
        return self.next == len(self.expect)


def run_prepare(sc, env):
    for c in sc.get("prepare", []):
        c = subst(c, env)
        r = subprocess.run(c, shell=True, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            return f"prepare step failed: {c}\n{r.stdout}{r.stderr}"
    return None


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def read_new(path, pos):
    try:
        with open(path, "rb") as f:
            f.seek(pos)
            data = f.read()
    except FileNotFoundError:
        return "", pos
    return data.decode("utf-8", "replace"), pos + len(data)


class Typist:
    """The scenario's `input`: each `send` is written to the emulator's serial
    input once its `after` text has appeared in the output (in order, each
    after the previous one's match)."""

    def __init__(self, inputs, stdin):
        self.todo = [
            (i["after"], i["send"], float(i.get("delay", 0))) for i in inputs
        ]
        self.stdin, self.seen = stdin, ""
        self.due = None  # (send, time) of a matched input waiting for its delay

    def feed(self, text):
        self.seen += text
        while True:
            if self.due:
                if time.monotonic() < self.due[1]:
                    break
                send, self.due = self.due[0], None
                try:
                    self.stdin.write(send.encode())
                    self.stdin.flush()
                except OSError:
                    self.todo = []
            if not (self.todo and self.todo[0][0] in self.seen):
                break
            after, send, delay = self.todo.pop(0)
            self.seen = self.seen[self.seen.index(after) + len(after):]
            self.due = (send, time.monotonic() + delay)
        if len(self.seen) > 65536:
            self.seen = self.seen[-4096:]


def watch(proc, serial_path, judge, timeout, typist=None):
    """Poll the serial log until judged, the emulator exits, or time runs out."""
    start, pos, done_at = time.monotonic(), 0, None
    while True:
        text, pos = read_new(serial_path, pos)
        judge.feed(text)
        if typist:
            typist.feed(text)
        now = time.monotonic()
        if judge.bad:
            return "forbidden line: " + judge.bad
        if judge.done():
            done_at = done_at or now
            if now - done_at >= GRACE_SECONDS:
                return None
        if proc.poll() is not None:
            text, pos = read_new(serial_path, pos)
            judge.feed(text, final=True)
            if judge.bad:
                return "forbidden line: " + judge.bad
            return None if judge.done() else "emulator exited early"
        if now - start > timeout:
            return f"timeout after {timeout:.0f}s"
        time.sleep(0.05)


def boot(sc, logdir, interactive=False):
    tmp = tempfile.mkdtemp(prefix=f"boot-{sc.name}-")
    env = {"tmp": tmp, "image": os.path.abspath(sc.image) if sc.image else ""}
    try:
        err = run_prepare(sc, env)
        if err:
            return err, ""
        if sc.image and not os.path.exists(env["image"]):
            return f"image {sc.image} does not exist", ""
        log = os.path.join(logdir, sc.name + ".log")
        capture = None
        if sc.machine == "qemu-arm64-virt":
            cmd = qemu_arm64_cmd(sc, env, tmp)
        elif sc.machine == "qemu-x86_64":
            cmd = qemu_x86_cmd(sc, env, tmp)
        elif sc.machine == "bochs":
            capture = PtyCapture(log) if not interactive else None
            cmd = bochs_cmd(sc, env, tmp, capture.name if capture else os.ttyname(0))
        else:
            return f"unknown machine '{sc.machine}'", ""
        cmd += [subst(a, env) for a in sc.get("extra_args", [])]
        if interactive:
            print("$ " + " ".join(shlex.quote(c) for c in cmd))
            os.execvp(cmd[0], cmd)
        emu_log = os.path.join(logdir, sc.name + ".emulator.log")
        with open(emu_log, "wb") as err_out:
            out = err_out if capture else open(log, "wb")
            inputs = sc.get("input", [])
            proc = subprocess.Popen(cmd, stdout=out, stderr=err_out,
                                    stdin=subprocess.PIPE if inputs else subprocess.DEVNULL,
                                    start_new_session=True)
            typist = Typist(inputs, proc.stdin) if inputs else None
            try:
                verdict = watch(proc, log, Judge(sc.expect, sc.forbid), sc.timeout, typist)
            finally:
                kill_group(proc)
                if capture:
                    capture.close()
                else:
                    out.close()
        if verdict and "timeout" in verdict:
            j = Judge(sc.expect, sc.forbid)
            j.feed(open(log, encoding="utf-8", errors="replace").read(), final=True)
            if j.next < len(sc.expect):
                verdict += f"; still waiting for: {sc.expect[j.next]!r}"
        return verdict, log
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tail(path, n=40):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return "(no log)"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--results", help="append PASS/FAIL lines here")
    ap.add_argument("--logs", default="build/check/boot")
    ap.add_argument("--interactive", action="store_true",
                    help="run the first scenario's emulator on this terminal")
    args = ap.parse_args()
    os.makedirs(args.logs, exist_ok=True)
    failed = 0
    for path in args.scenarios:
        name = os.path.splitext(os.path.basename(path))[0]
        t0 = time.monotonic()
        try:
            sc = Scenario(path)
            verdict, log = boot(sc, args.logs, args.interactive)
        except (ValueError, KeyError, OSError, tomllib.TOMLDecodeError,
                subprocess.TimeoutExpired) as e:
            verdict, log = f"bad scenario: {e}", ""
        secs = time.monotonic() - t0
        status = "FAIL" if verdict else "PASS"
        print(f"{status} boot:{name} ({secs:.1f}s)" + (f": {verdict}" if verdict else ""),
              flush=True)
        if verdict:
            failed += 1
            print(f"--- last lines of {log or '(no log)'} ---\n{tail(log) if log else ''}---",
                  flush=True)
        if args.results:
            with open(args.results, "a") as r:
                r.write(f"{status} boot:{name}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
