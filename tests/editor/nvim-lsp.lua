-- Headless Neovim attached to `tfpin lsp`: opens a file, waits for its
-- diagnostics, makes an unsaved edit, and waits for them to change. Writes
-- what it saw, one line per step, to $OUT. Works with Neovim 0.7 and later
-- (vim.lsp.start_client and buf_attach_client).
local bin, root, file, out = os.getenv("TFPIN"), os.getenv("ROOT"), os.getenv("FILE"), os.getenv("OUT")
local lines = {}
local function say(s)
  table.insert(lines, s)
  local f = io.open(out, "w")
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "tfpin",
  cmd = { bin, "lsp" },
  root_dir = root,
})
if not client then
  say("error: the client did not start")
  vim.cmd("qa!")
end
vim.lsp.buf_attach_client(buf, client)

-- The codes of the buffer's diagnostics, sorted and joined.
local function codes()
  local t = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(t, tostring(d.code or d.message))
  end
  table.sort(t)
  return table.concat(t, ",")
end

local opened = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
say("opened " .. tostring(opened) .. " " .. codes())

-- An unsaved edit: bound the constraint.
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line:find('">= 5.0"', 1, true) then
    vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { (line:gsub(">= 5.0", "~> 5.0")) })
  end
end
local changed = vim.wait(30000, function() return not codes():find("provider-version-unbounded", 1, true) end, 50)
say("edited " .. tostring(changed) .. " " .. codes() .. " modified=" .. tostring(vim.bo[buf].modified))

vim.lsp.stop_client(client)
vim.wait(2000, function() return vim.lsp.client_is_stopped(client) end, 50)
say("done")
vim.cmd("qa!")
