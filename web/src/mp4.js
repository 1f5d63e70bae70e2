// The MSE type of a recording, read from its init segment (ftyp + moov): H.264 profile and level from the avcC
// box, AAC from an mp4a sample entry.

function find(bytes, fourcc) {
  const code = [...fourcc].map((c) => c.charCodeAt(0));
  for (let i = 4; i + 4 <= bytes.length; i++) {
    if (bytes[i] === code[0] && bytes[i + 1] === code[1] && bytes[i + 2] === code[2] && bytes[i + 3] === code[3]) return i;
  }
  return -1;
}

const hex = (b) => b.toString(16).padStart(2, '0');

export function mimeTypeOf(init) {
  const codecs = [];
  const avcC = find(init, 'avcC');
  // avcC payload: configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication.
  if (avcC >= 0 && avcC + 8 <= init.length) codecs.push(`avc1.${hex(init[avcC + 5])}${hex(init[avcC + 6])}${hex(init[avcC + 7])}`);
  if (find(init, 'mp4a') >= 0) codecs.push('mp4a.40.2');
  if (codecs.length === 0) throw new Error('the recording\'s init segment names no codec this page can play (H.264, AAC)');
  return `video/mp4; codecs="${codecs.join(', ')}"`;
}

/**
 * Where the last whole fragment ends in `bytes`, walking top-level boxes from `start` (a fragment's first box): the
 * end of the last complete box that is not a moof, whose mdat is still to come. The tail of a truncated segment is
 * its last whole fragment and part of the next one; only what ends there is appended.
 */
export function wholeFragmentsEnd(bytes, start) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  let end = start;
  while (at + 8 <= bytes.length) {
    let size = view.getUint32(at);
    if (size === 1) {
      if (at + 16 > bytes.length) break;
      size = Number(view.getBigUint64(at + 8));
    }
    if (size < 8 || at + size > bytes.length) break; // 0 (to the end of the file) or cut off: not whole
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    at += size;
    if (type !== 'moof') end = at;
  }
  return end;
}
