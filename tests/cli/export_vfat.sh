#!/bin/sh
# An export on a real FAT filesystem: the kernel here cannot mount vfat,
# so the image is made with mkfs.vfat and written and read with mtools.
# The key goes onto the image, comes back off it to authorise the export;
# the sealed export, README.txt and open.html go on, come back off byte
# for byte, and the export still opens and verifies; every name is one
# FAT accepts.
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
stick_key "$HK_TMP/key"
mcopy -i "$IMG" "$HK_TMP/key/hubkiosk-export.key" ::/ 2>"$ERR"
check "the key is written onto the FAT image" [ $? -eq 0 ]
# "mounting": the stick's content as the export would see it
mcopy -i "$IMG" -s ::/hubkiosk-export.key "$HK_TMP/mnt/" 2>"$ERR"
succeeds "export to the stick's content" export --to "$HK_TMP/mnt"
sealed=$(ls "$HK_TMP/mnt"/*.age | head -n 1)
name=$(basename "$sealed")
for f in "$sealed" "$HK_TMP/mnt/README.txt" "$HK_TMP/mnt/open.html"; do
	mcopy -i "$IMG" "$f" ::/ 2>"$ERR" || break
done
check "the sealed export, README.txt and open.html are copied onto the FAT image" [ $? -eq 0 ]
mdir -i "$IMG" -b -/ ::/ >"$OUT" 2>"$ERR"
check "the FAT image lists them and the key" [ "$(grep -c . "$OUT")" -eq 4 ]
bad=$(sed 's|^::/||' "$OUT" | tr '/' '\n' | grep -E '[":*?<>|\\]|[. ]$' || true)
check "every name on the stick is FAT-valid" [ -z "$bad" ]
check "the sealed file keeps its long name on FAT" grep -q "$name" "$OUT"
mcopy -i "$IMG" "::/$name" "::/README.txt" "::/open.html" "$HK_TMP/back/" 2>"$ERR"
check "the files read back are byte for byte the ones written" \
	sh -c "cmp '$sealed' '$HK_TMP/back/$name' && cmp '$HK_TMP/mnt/open.html' '$HK_TMP/back/open.html'"
folder=$(opened "$HK_TMP/back/$name")
check "age opens the export read back off FAT" [ -s "$folder/manifest.txt" ]
succeeds "the export read back off FAT verifies" verify --export "$folder"
finish
