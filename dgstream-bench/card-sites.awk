# Groups async-profiler collapsed stacks (taken with -XX:G1UpdateBufferSize=1 -XX:+PreserveFramePointer
# -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints) by the code that dirtied a G1 card: for every stack through
# G1DirtyCardQueueSet::enqueue, the D Java frames nearest to it (default 3), outermost first.
# Usage: awk -v D=3 -f dgstream-bench/card-sites.awk STACKS.collapsed | sort -rn | head -30   (total on stderr)
BEGIN { if (D == "") D = 3 }
{
    n = $NF
    line = $0
    sub(/ [0-9]+$/, "", line)
    k = split(line, f, ";")
    for (i = 1; i <= k; i++) {
        if (f[i] ~ /G1DirtyCardQueueSet::enqueue$/ || f[i] ~ /write_ref_field_post_entry/) {
            site = ""
            c = 0
            for (j = i - 1; j >= 1 && c < D; j--) {
                if (f[j] ~ /\//) { # Java frames are package/Class.method
                    site = f[j] (site == "" ? "" : " <- ") site
                    c++
                }
            }
            samples[site] += n
            total += n
            break
        }
    }
}
END {
    for (s in samples) printf "%6d %5.1f%% %s\n", samples[s], 100 * samples[s] / total, s
    print "total " total > "/dev/stderr"
}
