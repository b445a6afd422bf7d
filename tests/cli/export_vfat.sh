#!/bin/sh
# An export on a real FAT filesystem: the kernel here cannot mount vfat,
# so the image is made with mkfs.vfat and written and read with mtools.
# The key goes onto the image, comes back off it to authorise the export;
# the export goes on, comes back off, and still verifies; every name is
# one FAT accepts.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/vfat.db
IMG=$HK_TMP/stick.img
for tool in mkfs.vfat mcopy mdir mtype; do
	command -v $tool >/dev/null || { not_ok "$tool is installed (apt-get install mtools dosfstools)"; finish; }
done
export MTOOLS_SKIP_CHECK=1
mkfs.vfat -C -n HUBSTICK "$IMG" 16384 >/dev/null 2>&1
check "a 16 MB FAT image" [ -s "$IMG" ]
hub demo
mkdir -p "$HK_TMP/key" "$HK_TMP/mnt" "$HK_TMP/back"
hub export-key create "$HK_TMP/key"
mcopy -i "$IMG" "$HK_TMP/key/hubkiosk-export.key" ::/ 2>"$ERR"
check "the key is written onto the FAT image" [ $? -eq 0 ]
# "mounting": the stick's content as the export would see it
mcopy -i "$IMG" -s ::/hubkiosk-export.key "$HK_TMP/mnt/" 2>"$ERR"
succeeds "export to the stick's content" export --to "$HK_TMP/mnt"
folder=$(ls -d "$HK_TMP/mnt"/*/ | head -n 1); folder=${folder%/}
name=$(basename "$folder")
mcopy -i "$IMG" -s "$folder" ::/ 2>"$ERR"
check "the export folder is copied onto the FAT image" [ $? -eq 0 ]
mdir -i "$IMG" -b -/ ::/ >"$OUT" 2>"$ERR"
check "the FAT image lists the export's files" sh -c "grep -c . '$OUT' | awk '\$1 >= 8 { ok = 1 } END { exit !ok }'"
bad=$(sed 's|^::/||' "$OUT" | tr '/' '\n' | grep -E '[":*?<>|\\]|[. ]$' || true)
check "every name on the stick is FAT-valid" [ -z "$bad" ]
check "the folder keeps its long name on FAT" grep -q "$name" "$OUT"
mtype -i "$IMG" "::/$name/manifest.txt" >"$HK_TMP/manifest" 2>"$ERR"
check "mtype reads the manifest back" grep -q '^# chain-head: ' "$HK_TMP/manifest"
mcopy -i "$IMG" -s "::/$name" "$HK_TMP/back/" 2>"$ERR"
succeeds "the export read back off FAT verifies" verify --export "$HK_TMP/back/$name"
check "the files read back are byte for byte the ones written" diff -r "$folder" "$HK_TMP/back/$name"
finish
