// The OS page's file browser: the processes' file system by guest path (/app, /tmp, a runtime's files), a folder's
// entries, a file's text, downloads, and uploads into the writable mounts (the server refuses the others).
import { useEffect, useState } from "preact/hooks";
import type { OsDirectory, OsFileEntry } from "../api";
import { fileUrl, formatSize, joinPath, listFolder, readFile, uploadFile, type OsModel } from "../os";

interface Viewed {
  path: string;
  text: string | null;
}

function Breadcrumbs({ path, open }: { path: string; open: (path: string) => void }) {
  const parts = path.split("/").filter(Boolean);
  return (
    <nav class="crumbs" aria-label="Folder">
      <button type="button" class="link mono" onClick={() => open("/")}>
        /
      </button>
      {parts.map((part, index) => {
        const to = `/${parts.slice(0, index + 1).join("/")}`;
        return (
          <span key={to}>
            {index > 0 && <span class="muted">/</span>}
            <button type="button" class="link mono" aria-current={index === parts.length - 1 ? "location" : undefined} onClick={() => open(to)}>
              {part}
            </button>
          </span>
        );
      })}
    </nav>
  );
}

export function FileBrowser({ os }: { os: OsModel }) {
  const [path, setPath] = useState("/");
  const [folder, setFolder] = useState<OsDirectory | null>(null);
  const [viewed, setViewed] = useState<Viewed | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const open = (to: string) => {
    setPath(to);
    setMessage(null);
    listFolder(to).then(
      (listing) => setFolder(listing),
      (error: Error) => setMessage({ error: true, text: error.message }),
    );
  };
  // A new kernel (a restart) has another /tmp: list the folder again.
  useEffect(() => open(path), [os.kernel?.instance]);

  const view = (entry: OsFileEntry) => {
    const target = joinPath(path, entry.name);
    readFile(target).then(
      (text) => setViewed({ path: target, text }),
      (error: Error) => setMessage({ error: true, text: error.message }),
    );
  };

  const upload = (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    uploadFile(joinPath(path, file.name), file).then(
      (text) => {
        setMessage({ error: false, text });
        open(path);
      },
      (error: Error) => setMessage({ error: true, text: error.message }),
    );
  };

  const mount = os.mounts.find((m) => path === m.path || path.startsWith(`${m.path}/`));
  const writable = folder?.writable ?? false;
  return (
    <div class="files" data-role="files">
      <div class="files-head">
        <Breadcrumbs path={path} open={open} />
        {mount && (
          <span class="chip" data-role="mount-mode">
            {mount.writable ? "writable" : "read-only"}
          </span>
        )}
        <button type="button" data-action="refresh" onClick={() => open(path)}>
          Refresh
        </button>
        <label class={`upload${writable ? "" : " disabled"}`} title={writable ? undefined : "uploads go into writable mounts only"}>
          <span>Upload a file</span>
          <input type="file" data-role="upload" aria-label={`Upload a file into ${path}`} disabled={!writable} onChange={(event) => upload(event.currentTarget.files)} />
        </label>
      </div>
      {message && (
        <p class={message.error ? "banner" : "note"} role={message.error ? "alert" : "status"} data-role="file-message">
          {message.text}
        </p>
      )}
      <div class="table-scroll">
        <table class="grid-table" aria-label={`Files in ${path}`} data-role="file-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Modified</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {path !== "/" && (
              <tr>
                <td colSpan={4}>
                  <button type="button" class="link mono" aria-label="Up to the parent folder" onClick={() => open(path.slice(0, path.lastIndexOf("/")) || "/")}>
                    ..
                  </button>
                </td>
              </tr>
            )}
            {folder?.entries.map((entry) => {
              const target = joinPath(path, entry.name);
              return (
                <tr key={entry.name} data-name={entry.name} data-kind={entry.kind}>
                  <td>
                    {entry.kind === "directory" ? (
                      <button type="button" class="link mono" aria-label={`Open folder ${entry.name}`} onClick={() => open(target)}>
                        {entry.name}/
                      </button>
                    ) : (
                      <span class="mono">
                        {entry.name}
                        {entry.kind === "symlink" && <span class="muted"> (symlink)</span>}
                      </span>
                    )}
                  </td>
                  <td class="mono">{entry.kind === "file" ? formatSize(entry.size) : ""}</td>
                  <td class="muted">{new Date(entry.modified).toLocaleString()}</td>
                  <td class="actions">
                    {entry.kind !== "directory" && (
                      <>
                        <button type="button" data-action="view" aria-label={`View ${entry.name}`} onClick={() => view(entry)}>
                          View
                        </button>
                        <a class="button" href={fileUrl(target, true)} download={entry.name} aria-label={`Download ${entry.name}`}>
                          Download
                        </a>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {viewed && (
        <section class="viewer" aria-label={`Contents of ${viewed.path}`} data-role="viewer">
          <div class="viewer-head">
            <h3 class="mono">{viewed.path}</h3>
            <button type="button" aria-label="Close the file" onClick={() => setViewed(null)}>
              Close
            </button>
          </div>
          {viewed.text === null ? (
            <p class="muted">A binary file: download it to see it.</p>
          ) : (
            <pre class="terminal file-text" data-role="file-text" tabIndex={0}>
              {viewed.text}
            </pre>
          )}
        </section>
      )}
    </div>
  );
}
