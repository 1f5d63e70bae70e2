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
