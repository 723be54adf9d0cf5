-- The Neovim setup (lua/idpc.lua, syntax/idp.vim) in a headless Neovim,
-- with Neovim's own LSP client talking to a server: the stand-in
-- test/fake-server.js, or the real `idpc lsp` when $IDPC_LSP is set to the
-- binary. Run by .ci/check-editors:
--   nvim --headless -u NONE -i NONE -c 'luafile editors/neovim/test/run.lua'
-- Any failure prints why and exits 1.

local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local neovim_dir = vim.fn.fnamemodify(here, ':h')
local failures = 0

local function check(ok, what)
  if not ok then
    failures = failures + 1
    io.stderr:write('FAIL: ' .. what .. '\n')
  else
    io.stdout:write('ok: ' .. what .. '\n')
  end
end

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local file = assert(io.open(path, 'w'))
  file:write(text)
  file:close()
end

local function clients_of(buf)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf))
end

-- Waits for `condition`, up to two minutes (a hang watchdog, not a timing assertion).
local function wait_for(condition)
  return vim.wait(tonumber(os.getenv("IDPC_WAIT_MS") or "120000"), condition, 20)
end

local function all_clients()
  return (vim.lsp.get_clients or vim.lsp.get_active_clients)()
end

local real = os.getenv('IDPC_LSP')
local log = vim.fn.tempname()
vim.env.IDPC_FAKE_LOG = log
local cmd = real and { real, 'lsp' } or { 'node', here .. '/fake-server.js' }

vim.opt.runtimepath:append(neovim_dir)
vim.cmd('filetype on')
vim.cmd('syntax on')
require('idpc').setup({ cmd = cmd })

local tmp = vim.fn.tempname()
local project = tmp .. '/app'
local other = tmp .. '/other'
local program = table.concat({
  '# idpc: allow(W0601) reason: a test',
  'use bucket Files',
  'role Reader {',
  '  allow s3:GetObject, read on Files/list/$<sub>/* when s3:prefix like "home/${self:custom.x}"',
  '}',
  '',
}, '\n')
write(project .. '/serverless.yml', 'service: app\n')
write(project .. '/programs/a.idp', program)
write(project .. '/b.idp', program)
write(other .. '/idpc.toml', '')
write(other .. '/c.idp', program)

-- Filetype, options and syntax.
vim.cmd('edit ' .. project .. '/programs/a.idp')
local a = vim.api.nvim_get_current_buf()
check(vim.bo.filetype == 'idp', 'a *.idp file has the filetype idp (got ' .. vim.bo.filetype .. ')')
check(vim.b.current_syntax == 'idp', 'syntax/idp.vim is loaded')
check(vim.bo.commentstring == '# %s', 'commentstring is `# %s`')

local function syntax_at(line, text)
  local col = vim.fn.getline(line):find(text, 1, true)
  return vim.fn.synIDattr(vim.fn.synID(line, col, 1), 'name')
end
check(syntax_at(1, 'reason') == 'idpComment', 'a comment is idpComment')
check(syntax_at(1, 'idpc:') == 'idpSuppression', 'a suppression is idpSuppression')
check(syntax_at(2, 'use') == 'idpDeclaration', '`use` is a declaration keyword')
check(syntax_at(2, 'bucket') == 'idpKind', '`bucket` is a kind')
check(syntax_at(3, 'Reader') == 'idpName', 'a declared name is idpName')
check(syntax_at(4, 'allow') == 'idpEffect', '`allow` is an effect')
check(syntax_at(4, 's3:GetObject') == 'idpAction', 's3:GetObject is an action')
check(syntax_at(4, 'read') == 'idpConstant', '`read` is an access level')
check(syntax_at(4, 'list/') == 'idpPath', '`list` in a path is the path, not a keyword')
check(syntax_at(4, '$<sub>') == 'idpPolicyVar', '$<sub> is a policy variable')
check(syntax_at(4, 's3:prefix') == 'idpConditionKey', 's3:prefix before `like` is a condition key')
check(syntax_at(4, '${self') == 'idpServerlessVar', '${...} in a string is a Serverless variable')
check(syntax_at(4, 'home/') == 'idpString', 'a string is idpString')

-- The server: started for the buffer, rooted at the nearest serverless.yml.
check(wait_for(function() return #clients_of(a) == 1 end), 'buffer a gets one idpc client')
local client = clients_of(a)[1]
if client then
  check(client.name == 'idpc', 'the client is named idpc')
  check(vim.deep_equal(client.config.cmd, cmd), 'the client runs ' .. table.concat(cmd, ' '))
  check(client.config.root_dir == project, 'the root is the directory of serverless.yml (got ' .. tostring(client.config.root_dir) .. ')')
end
if not real then
  check(wait_for(function() return #vim.diagnostic.get(a) > 0 end), "the server's diagnostics reach the buffer")
  local diagnostic = vim.diagnostic.get(a)[1]
  check(diagnostic and diagnostic.message == 'seen by the fake server', 'the diagnostic is the one the server sent')
end

-- A second file of the same project shares the server; another project gets its own.
vim.cmd('edit ' .. project .. '/b.idp')
local b = vim.api.nvim_get_current_buf()
check(wait_for(function() return #clients_of(b) == 1 end), 'buffer b gets one idpc client')
check(client and clients_of(b)[1] and clients_of(b)[1].id == client.id, 'buffer b shares the client of its project')
vim.cmd('edit ' .. other .. '/c.idp')
local c = vim.api.nvim_get_current_buf()
check(wait_for(function() return #clients_of(c) == 1 end), 'buffer c gets one idpc client')
local c_client = clients_of(c)[1]
check(c_client and client and c_client.id ~= client.id, 'another project gets another client')
check(c_client and c_client.config.root_dir == other, 'its root is the directory of idpc.toml')

if not real then
  check(wait_for(function() return vim.fn.filereadable(log) == 1 and #vim.fn.readfile(log) >= 6 end), 'the servers logged what they received')
  local opened = {}
  for _, line in ipairs(vim.fn.readfile(log)) do
    local message = vim.fn.json_decode(line)
    if message.method == 'textDocument/didOpen' then
      opened[vim.uri_to_fname(message.params.textDocument.uri)] = message.params.textDocument.languageId
    end
  end
  for _, file in ipairs({ project .. '/programs/a.idp', project .. '/b.idp', other .. '/c.idp' }) do
    check(opened[file] == 'idp', 'didOpen of ' .. vim.fn.fnamemodify(file, ':t') .. ' with languageId idp')
  end
end

-- A command that is not installed: a message, no client, no error.
local messages = {}
local notify = vim.notify
vim.notify = function(message) table.insert(messages, message) end
local id = require('idpc').start(c, { cmd = { tmp .. '/no/idpc', 'lsp' }, root_markers = {} })
vim.notify = notify
check(id == nil, 'a missing binary starts nothing')
check(messages[1] and messages[1]:find('is not an executable', 1, true) ~= nil, 'and says so')

-- Shut the servers down (shutdown, then exit) and wait until they are gone.
for _, each in ipairs(all_clients()) do
  vim.lsp.stop_client(each.id)
end
check(wait_for(function() return #all_clients() == 0 end), 'the servers stop when asked')
vim.fn.delete(tmp, 'rf')
vim.fn.delete(log)
if failures > 0 then
  io.stderr:write(failures .. ' failure(s)\n')
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
